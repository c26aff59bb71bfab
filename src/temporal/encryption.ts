/**
 * Encryption at rest: an AES-256-GCM payload codec, so that what Temporal stores of a task (its
 * args and kwargs, its result, its error's message and traceback, its progress meta) is
 * ciphertext. Each encrypted payload names the key it was encrypted with, so keys rotate: new
 * payloads use the current key, and any key still configured decrypts the old ones.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

/** The encoding of an encrypted payload: 12-byte IV, then the ciphertext, then the 16-byte GCM tag. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key (by its id) a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// @temporalio/proto is CommonJS without named exports.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

/** The keys payloads are encrypted with: `current` encrypts, every key decrypts. */
export interface EncryptionKeys {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Reads `CELERITY_ENCRYPTION_KEYS`: `id:base64key,id:base64key,...`, each key 32 random bytes in
 * base64 (`openssl rand -base64 32`), the first one current. Unset or empty: no encryption.
 * @throws Error naming the entry (by position and id, never its key) that is malformed.
 */
export function parseEncryptionKeys(raw: string | undefined): EncryptionKeys | undefined {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const where = `CELERITY_ENCRYPTION_KEYS entry ${i + 1}${id ? ` ("${id}")` : ''}`;
    if (!id) throw new Error(`${where} must be id:base64key`);
    if (keys.has(id)) throw new Error(`${where}: the key id is given twice`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry.slice(colon + 1))) {
      throw new Error(`${where}: the key must be ${KEY_BYTES} bytes in base64 (e.g. from \`openssl rand -base64 32\`)`);
    }
    keys.set(id, key);
  }
  return { current: entries[0].slice(0, entries[0].indexOf(':')), keys };
}

const metadataText = (payload: Payload, key: string): string => Buffer.from(payload.metadata?.[key] ?? []).toString();

/**
 * The codec: encode encrypts each whole payload (its metadata too, so even its encoding is
 * hidden) with the current key; decode decrypts payloads it encrypted and leaves any other
 * payload as it is, so data written before encryption was turned on stays readable.
 * decode throws when a payload's key is no longer configured or the data was altered: the
 * workflow task or read then fails until the key is given back, and nothing is lost.
 */
export function encryptionCodec(encryption: EncryptionKeys): PayloadCodec {
  const currentKey = encryption.keys.get(encryption.current)!;
  const keyId = Buffer.from(encryption.current);
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
        cipher.setAAD(keyId);
        const sealed = Buffer.concat([iv, cipher.update(PayloadMessage.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
        return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: keyId }, data: sealed };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => (metadataText(payload, METADATA_ENCODING_KEY) === ENCRYPTED_ENCODING ? decrypt(encryption, payload) : payload));
    },
  };
}

function decrypt(encryption: EncryptionKeys, payload: Payload): Payload {
  const id = metadataText(payload, KEY_ID_METADATA);
  const key = encryption.keys.get(id);
  if (!key) throw new Error(`the payload is encrypted with key "${id}", which CELERITY_ENCRYPTION_KEYS does not hold`);
  const data = Buffer.from(payload.data ?? []);
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('the encrypted payload is too short to hold its IV and tag');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(id));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return PayloadMessage.decode(Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]));
  } catch {
    throw new Error(`the payload does not decrypt with key "${id}": the key or the data has changed`);
  }
}
