import { jsonLimitViolation, MAX_JSON_DEPTH } from '../../src/api/json-limits.js';

const TOO_BIG = 'integer beyond 2^53 cannot be represented exactly; send it as a string';

describe('jsonLimitViolation', () => {
  it('names the path of an integer JSON.parse would round', () => {
    expect(jsonLimitViolation('{"task":"identity","args":[9007199254740993]}')).toBe(`args[0]: ${TOO_BIG}`);
    expect(jsonLimitViolation('{"a\\"b":{"x":[1,"]",{"k\\\\":[-90071992547409930]}]}}')).toBe(`a"b.x[2].k\\[0]: ${TOO_BIG}`);
    expect(jsonLimitViolation('9007199254740993')).toBe(`the body: ${TOO_BIG}`);
  });

  it('leaves exact integers, floats and numbers inside strings alone', () => {
    expect(jsonLimitViolation('[9007199254740991,-9007199254740991,12345678901234567890.5,1e-12345678901234567,"9007199254740993"]')).toBeUndefined();
  });

  it('refuses floats past a double\'s range', () => {
    expect(jsonLimitViolation('{"x":[1.5,-1e400]}')).toBe('x[1]: number beyond the range of a 64-bit float');
  });

  it('refuses nesting past the limit at any depth, without running out of stack', () => {
    const nested = (depth: number) => `{"args":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
    expect(jsonLimitViolation(nested(MAX_JSON_DEPTH - 2))).toBeUndefined();
    expect(jsonLimitViolation(nested(MAX_JSON_DEPTH - 1))).toBe(`args[0][0][0][0][0][0][0]…: nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(jsonLimitViolation(nested(1_000_000))).toContain('nested deeper');
  });
});
