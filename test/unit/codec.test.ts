import { defaultPayloadConverter } from '@temporalio/common';
import { COMPRESS_ABOVE, gzipCodec } from '../../src/temporal/codec.js';

describe('gzipCodec', () => {
  it('leaves small payloads as they are, readable in the Temporal UI', async () => {
    const payload = defaultPayloadConverter.toPayload({ task: 'add', args: [2, 2] });
    expect(await gzipCodec.encode([payload])).toEqual([payload]);
  });

  it('stores a large payload gzipped and gives it back unchanged', async () => {
    const members = Array.from({ length: 20_000 }, (_, i) => ({ id: `root~${i}`, kind: 'task', task: 'noop', args: [] }));
    const payload = defaultPayloadConverter.toPayload(members);
    expect(payload.data!.length).toBeGreaterThan(COMPRESS_ABOVE);
    const [encoded] = await gzipCodec.encode([payload]);
    expect(Buffer.from(encoded.metadata!.encoding!).toString()).toBe('binary/gzip');
    expect(encoded.data!.length).toBeLessThan(payload.data!.length / 10);
    const [decoded] = await gzipCodec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(members);
  });
});
