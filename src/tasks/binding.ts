/**
 * Python's calling convention for tasks: positional args fill the declared parameters in
 * order, kwargs fill the rest by name. Pure, so the API can reject a bad call before it
 * reaches Temporal and the worker binds it the same way.
 */
export class TaskArgumentError extends TypeError {
  override name = 'TypeError';
}

export function bindArguments(
  task: string,
  params: readonly string[] | undefined,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): unknown[] {
  // A task without declared parameters takes any args and reads kwargs from its context.
  if (!params) return [...args];
  if (args.length > params.length) {
    throw new TaskArgumentError(
      `${task}() takes ${params.length} positional arguments but ${args.length} were given`,
    );
  }
  for (const name of Object.keys(kwargs)) {
    const index = params.indexOf(name);
    if (index < 0) throw new TaskArgumentError(`${task}() got an unexpected keyword argument '${name}'`);
    if (index < args.length) throw new TaskArgumentError(`${task}() got multiple values for argument '${name}'`);
  }
  const bound = [...args];
  for (let i = args.length; i < params.length; i++) bound.push(kwargs[params[i]]);
  // Trailing parameters not given stay absent so the function's own defaults apply.
  while (bound.length > args.length && bound[bound.length - 1] === undefined) bound.pop();
  return bound;
}
