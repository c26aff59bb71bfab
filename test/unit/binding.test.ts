import { bindArguments, TaskArgumentError } from '../../src/tasks/binding.js';

describe('bindArguments (Python calling convention)', () => {
  test('positional args fill parameters in order, kwargs fill the rest by name', () => {
    expect(bindArguments('add', ['x', 'y'], [1, 2], {})).toEqual([1, 2]);
    expect(bindArguments('add', ['x', 'y'], [1], { y: 2 })).toEqual([1, 2]);
    expect(bindArguments('add', ['x', 'y'], [], { y: 2, x: 1 })).toEqual([1, 2]);
  });

  test('parameters not given stay absent so defaults apply', () => {
    expect(bindArguments('fail', ['message'], [], {})).toEqual([]);
    expect(bindArguments('f', ['a', 'b', 'c'], [], { a: 1 })).toEqual([1]);
  });

  test('a task without declared parameters takes any args', () => {
    expect(bindArguments('echo', undefined, [1, 2, 3], { k: 1 })).toEqual([1, 2, 3]);
  });

  test.each([
    [[1, 2, 3], {}, 'add() takes 2 positional arguments but 3 were given'],
    [[1], { z: 1 }, "add() got an unexpected keyword argument 'z'"],
    [[1], { x: 1 }, "add() got multiple values for argument 'x'"],
  ])('%j %j is a TypeError: %s', (args, kwargs, message) => {
    expect(() => bindArguments('add', ['x', 'y'], args, kwargs)).toThrow(new TaskArgumentError(message));
  });
});
