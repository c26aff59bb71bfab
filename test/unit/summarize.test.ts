import { summarize } from '../../src/client/client.js';

describe('summarize', () => {
  it('writes the call as JSON arguments, cut at 200 characters', () => {
    expect(summarize('add', [2, 2], {})).toBe('add(2, 2)');
    expect(summarize('echo', [null, 'é', [[]], { a: { b: [1, 'x"y'] } }, new Date(0)], { k: true })).toBe(
      'echo(null, "é", [[]], {"a":{"b":[1,"x\\"y"]}}, "1970-01-01T00:00:00.000Z", k=true)',
    );
    const long = summarize('xsum', [Array.from({ length: 100_000 }, (_, i) => i)], {});
    expect(long).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('reads arguments nested deeper than the call stack allows', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(summarize('identity', [deep], {})).toBe(`identity(${'['.repeat(190)}…`);
  });
});
