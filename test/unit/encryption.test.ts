import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeFailure, encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { COMPRESS_ABOVE, dataConverter } from '../../src/temporal/codec.js';
import { ENCRYPTED_ENCODING, encryptionCodec, KEY_ID_METADATA, parseEncryptionKeys } from '../../src/temporal/encryption.js';

const base64Key = () => randomBytes(32).toString('base64');
const OLD = base64Key();
const NEW = base64Key();
const MARKER = 'celerity-unit-marker-8d1f';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const encodingOf = (payload: Payload) => text(payload.metadata?.encoding);

describe('parseEncryptionKeys', () => {
  it('is off when unset or empty', () => {
    expect(parseEncryptionKeys(undefined)).toBeUndefined();
    expect(parseEncryptionKeys(' ')).toBeUndefined();
  });

  it('reads id:base64 pairs, the first one current', () => {
    const keys = parseEncryptionKeys(`k2:${NEW}, k1:${OLD}`)!;
    expect(keys.current).toBe('k2');
    expect([...keys.keys.keys()]).toEqual(['k2', 'k1']);
    expect(keys.keys.get('k1')).toEqual(Buffer.from(OLD, 'base64'));
  });

  it.each([
    [`k1`, /entry 1 must be id:base64key/],
    [`k1:${OLD},k1:${NEW}`, /entry 2 \("k1"\): the key id is given twice/],
    [`k1:${randomBytes(16).toString('base64')}`, /entry 1 \("k1"\): the key must be 32 bytes in base64/],
    [`k1:not base64 at all, really not`, /the key must be 32 bytes/],
  ])('refuses %j, naming the entry but never the key', (raw, message) => {
    expect(() => parseEncryptionKeys(raw)).toThrow(message);
    try {
      parseEncryptionKeys(raw);
    } catch (err) {
      expect((err as Error).message).not.toContain(raw.split(':')[1]?.split(',')[0] || '\u0000');
    }
  });
});

describe('encryptionCodec', () => {
  const keys = parseEncryptionKeys(`k1:${OLD}`)!;
  const codec = encryptionCodec(keys);

  it('encrypts the whole payload with AES-256-GCM and names its key', async () => {
    const payload = defaultPayloadConverter.toPayload({ args: [MARKER] });
    const [encrypted] = await codec.encode([payload]);
    expect(encodingOf(encrypted)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(encrypted.data!).includes(MARKER)).toBe(false);
    expect(Buffer.from(encrypted.data!).includes('json/plain')).toBe(false);
    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toEqual({ args: [MARKER] });
  });

  it('uses a fresh IV each time', async () => {
    const payload = defaultPayloadConverter.toPayload(MARKER);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the new key and still decrypts with the old one', async () => {
    const [old] = await codec.encode([defaultPayloadConverter.toPayload(MARKER)]);
    const rotated = encryptionCodec(parseEncryptionKeys(`k2:${NEW},k1:${OLD}`)!);
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(MARKER)]);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('k2');
    for (const payload of await rotated.decode([old, fresh])) expect(defaultPayloadConverter.fromPayload(payload)).toBe(MARKER);
  });

  it('refuses a payload whose key is gone, or whose data or key id was altered', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(MARKER)]);
    await expect(encryptionCodec(parseEncryptionKeys(`k2:${NEW}`)!).decode([encrypted])).rejects.toThrow(
      'the payload is encrypted with key "k1", which CELERITY_ENCRYPTION_KEYS does not hold',
    );
    const altered = Buffer.from(encrypted.data!);
    altered[20] ^= 1;
    await expect(codec.decode([{ ...encrypted, data: altered }])).rejects.toThrow('does not decrypt with key "k1"');
    // The key id is authenticated too: a payload cannot be passed off as another key's.
    const other = encryptionCodec(parseEncryptionKeys(`k2:${OLD}`)!);
    await expect(other.decode([{ ...encrypted, metadata: { ...encrypted.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } }])).rejects.toThrow(
      'does not decrypt with key "k2"',
    );
  });

  it('leaves payloads it did not encrypt as they are (data from before encryption was on)', async () => {
    const plain = defaultPayloadConverter.toPayload(MARKER);
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('dataConverter with encryption', () => {
  const converter = loadDataConverter(dataConverter(parseEncryptionKeys(`k1:${OLD}`)));

  it('gzips a large payload first, then encrypts it', async () => {
    const value = Array.from({ length: 10_000 }, (_, i) => `${MARKER}-${i}`);
    expect(JSON.stringify(value).length).toBeGreaterThan(COMPRESS_ABOVE);
    let payloads = [defaultPayloadConverter.toPayload(value)];
    for (const codec of converter.payloadCodecs) payloads = await codec.encode(payloads);
    expect(encodingOf(payloads[0])).toBe(ENCRYPTED_ENCODING);
    expect(payloads[0].data!.length).toBeLessThan(JSON.stringify(value).length / 5);
    for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    expect(defaultPayloadConverter.fromPayload(payloads[0])).toEqual(value);
  });

  it('puts an error\'s message and stack trace in an encrypted payload', async () => {
    const error = ApplicationFailure.create({ message: `bad ${MARKER}`, type: 'ExpectedError' });
    const failure = await encodeErrorToFailure(converter, error);
    expect(failure.message).not.toContain(MARKER);
    expect(failure.stackTrace ?? '').not.toContain(MARKER);
    expect(encodingOf(failure.encodedAttributes!)).toBe(ENCRYPTED_ENCODING);
    const decoded = converter.failureConverter.failureToError(await decodeFailure(converter.payloadCodecs, failure), converter.payloadConverter);
    expect(decoded.message).toBe(`bad ${MARKER}`);
  });

  it('leaves errors and payloads as before without keys', async () => {
    const plain = loadDataConverter(dataConverter());
    const failure = await encodeErrorToFailure(plain, new Error(MARKER));
    expect(failure.message).toBe(MARKER);
    expect(dataConverter().failureConverterPath).toBeUndefined();
    expect(plain.payloadCodecs).toHaveLength(2);
  });
});
