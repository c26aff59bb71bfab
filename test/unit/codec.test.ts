import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { COMPRESS_ABOVE, gzipCodec, payloadLimitCodec } from '../../src/temporal/codec.js';
import { encodedSize } from '../../src/temporal/payload-limit.js';
import {
  INPUT_TOO_LARGE_ADVICE, isTooLarge, PAYLOAD_LIMIT_BYTES, TOO_LARGE_ENCODING, TOO_LARGE_KEY, tooLarge, tooLargeFailure, type TooLarge,
} from '../../src/temporal/payload-marker.js';

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

describe('payloadLimitCodec', () => {
  const encode = async (value: unknown) => payloadLimitCodec.encode(await gzipCodec.encode([defaultPayloadConverter.toPayload(value)]));
  const decode = async (payloads: Payload[]) => defaultPayloadConverter.fromPayload(
    (await gzipCodec.decode(await payloadLimitCodec.decode(payloads)))[0],
  );

  it('leaves a payload within the limit once gzipped as it is', async () => {
    // 4 MB of one repeated character: far over the limit as JSON, a few KiB gzipped.
    const text = 'a'.repeat(4_000_000);
    const encoded = await encode(text);
    expect(Buffer.from(encoded[0].metadata!.encoding!).toString()).toBe('binary/gzip');
    expect(await decode(encoded)).toBe(text);
  });

  it('stands in for a payload still over the limit with a small marker that decodes to tooLarge(size, limit)', async () => {
    const text = randomBytes(2_400_000).toString('base64');
    const encoded = await encode({ text });
    expect(Buffer.from(encoded[0].metadata!.encoding!).toString()).toBe(TOO_LARGE_ENCODING);
    expect(encoded[0].data!.length).toBeLessThan(200);
    const decoded = await decode(encoded);
    expect(isTooLarge(decoded)).toBe(true);
    const { size, limit } = (decoded as TooLarge)[TOO_LARGE_KEY];
    expect(limit).toBe(PAYLOAD_LIMIT_BYTES);
    expect(size).toBe(await encodedSize({ text }));
    expect(size).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
  });

  it('decodes a damaged marker to a marker, never throwing', async () => {
    const damaged = { metadata: { encoding: Buffer.from(TOO_LARGE_ENCODING) }, data: Buffer.from('{not json') };
    expect(isTooLarge(await decode([damaged]))).toBe(true);
  });

  it('gives a marker the failure that names the size, the limit and what to do', () => {
    const failure = tooLargeFailure('the input of xsum c~4', tooLarge(2_900_000), INPUT_TOO_LARGE_ADVICE);
    expect(failure).toMatchObject({ type: 'PayloadTooLargeError', nonRetryable: true });
    expect(failure.message).toBe(
      "the input of xsum c~4 is 2.77 MiB (2,900,000 bytes) once encoded, over Temporal's payload size limit of 2.00 MiB (2,097,152 bytes); " +
        "its arguments hold earlier results (a chain's previous step, a chord's header): have those tasks return a reference to stored data (a file, an object-store key, a database id) instead of the data itself",
    );
    expect(isTooLarge({ [TOO_LARGE_KEY]: 'no' })).toBe(false);
    expect(isTooLarge([tooLarge(1)])).toBe(false);
  });
});
