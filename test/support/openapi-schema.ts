/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 document (the subset /openapi.json
 * uses: $ref, allOf, anyOf, oneOf, nullable, type, enum, bounds, lengths, pattern, items,
 * properties, required, additionalProperties). Returns where and why the value does not
 * conform, or [] when it does.
 */
export type Schema = Record<string, any>;
export interface OpenApiDocument {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
}

export function violations(document: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) return violations(document, document.components.schemas[schema.$ref.split('/').pop()!], value, at);
  if (value === null) return schema.nullable || (!schema.type && !schema.allOf && !schema.anyOf && !schema.oneOf) ? [] : [`${at}: null is not allowed`];
  const found: string[] = [];
  for (const part of schema.allOf ?? []) found.push(...violations(document, part, value, at));
  for (const [key, need] of [['anyOf', (n: number) => n > 0], ['oneOf', (n: number) => n === 1]] as const) {
    if (!schema[key]) continue;
    const matching = (schema[key] as Schema[]).filter((branch) => violations(document, branch, value, at).length === 0).length;
    if (!need(matching)) found.push(`${at}: ${JSON.stringify(value)?.slice(0, 80)} matches ${matching} of ${key}`);
  }
  if (schema.enum && !schema.enum.includes(value)) found.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (schema.type && !hasType(schema.type, value)) return [...found, `${at}: ${JSON.stringify(value)?.slice(0, 80)} is not ${schema.type}`];
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (value < schema.minimum || (schema.exclusiveMinimum === true && value === schema.minimum))) found.push(`${at}: ${value} is below ${schema.minimum}`);
    if (schema.maximum !== undefined && (value > schema.maximum || (schema.exclusiveMaximum === true && value === schema.maximum))) found.push(`${at}: ${value} is above ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) found.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) found.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) found.push(`${at}: ${JSON.stringify(value).slice(0, 80)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => found.push(...violations(document, schema.items, item, `${at}[${i}]`)));
  if (typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) found.push(`${at}.${key}: is required`);
    for (const [key, inner] of Object.entries(object)) {
      const declared = schema.properties?.[key];
      if (declared) found.push(...violations(document, declared, inner, `${at}.${key}`));
      else if (schema.additionalProperties === false) found.push(`${at}.${key}: is not declared`);
      else if (typeof schema.additionalProperties === 'object') found.push(...violations(document, schema.additionalProperties, inner, `${at}.${key}`));
    }
  }
  return found;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: return true;
  }
}

/** The schema of a route's answer with this status (application/json). */
export function answerSchema(document: OpenApiDocument, method: string, path: string, status: number): Schema {
  const schema = document.paths[path]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} answer`);
  return schema;
}
