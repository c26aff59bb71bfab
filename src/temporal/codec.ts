/**
 * The payload codecs of every Celerity client and worker. A payload larger than COMPRESS_ABOVE
 * is stored gzipped, so that a large canvas (the tree a workflow is started with, a chord's
 * header results) fits Temporal's payload limit (2 MB by default). Smaller payloads are left
 * as they are, readable in the Temporal UI without a codec server. A payload still over the
 * limit once gzipped is replaced by a small marker (src/temporal/payload-marker.ts), which its
 * receiver turns into a PayloadTooLargeError: refused by the worker or the server instead, it
 * would retry its workflow task for ever.
 */
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { encryptionCodec, type EncryptionKeys } from './encryption.js';
import { isTooLarge, PAYLOAD_LIMIT_BYTES, TOO_LARGE_ENCODING, tooLarge } from './payload-marker.js';

export const COMPRESS_ABOVE = 64 * 1024;
/** The encoding of a payload stored gzipped: the gzipped protobuf of the payload it holds. */
export const GZIP_ENCODING = 'binary/gzip';
const JSON_PLAIN = 'json/plain';
// @temporalio/proto is CommonJS without named exports.
const { Payload: PayloadMessage, Payloads: PayloadsMessage } = proto.temporal.api.common.v1;

/** A payload's `encoding` metadata, as text. */
export const encodingOf = (payload: Payload): string => Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();

export const gzipCodec: PayloadCodec = {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      (payload.data?.length ?? 0) <= COMPRESS_ABOVE
        ? payload
        : { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(GZIP_ENCODING) }, data: gzipSync(PayloadMessage.encode(payload).finish()) },
    );
  },
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (encodingOf(payload) === GZIP_ENCODING ? PayloadMessage.decode(gunzipSync(payload.data!)) : payload));
  },
};

/** The size Temporal counts for payloads: the Payloads message holding them. */
export function payloadsSize(payloads: Payload[]): number {
  return PayloadsMessage.encode({ payloads }).finish().length;
}

/**
 * Runs after gzipCodec: a payload still over PAYLOAD_LIMIT_BYTES becomes a marker payload (its
 * own encoding, JSON data naming the size and the limit), which decodes to the plain value
 * `tooLarge(size, limit)`. Decoding never throws: an error while a workflow decodes its
 * activation would be retried for ever too.
 */
export const payloadLimitCodec: PayloadCodec = {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const size = payloadsSize([payload]);
      if (size <= PAYLOAD_LIMIT_BYTES) return payload;
      return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(TOO_LARGE_ENCODING) }, data: Buffer.from(JSON.stringify(tooLarge(size))) };
    });
  },
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (encodingOf(payload) !== TOO_LARGE_ENCODING) return payload;
      let marker: unknown;
      try {
        marker = JSON.parse(Buffer.from(payload.data ?? []).toString());
      } catch {
        marker = undefined;
      }
      if (!isTooLarge(marker)) marker = tooLarge(0);
      return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(JSON_PLAIN) }, data: Buffer.from(JSON.stringify(marker)) };
    });
  },
};

/** The CommonJS failure converter that puts errors' messages in payloads, from src/ (jest) or dist/. */
export const ENCRYPTED_FAILURE_CONVERTER_PATH = fileURLToPath(
  new URL(`./encrypted-failure-converter.${import.meta.url.endsWith('.ts') ? 'cts' : 'cjs'}`, import.meta.url),
);

/**
 * The data converter every Client and Worker is created with: gzip, then (with keys) encrypt,
 * then the limit; decoding runs them backwards. With encryption on, errors' messages and
 * traces go into payloads too, so that they are encrypted.
 */
export function dataConverter(encryption?: EncryptionKeys): DataConverter & { payloadCodecs: PayloadCodec[] } {
  if (!encryption) return { payloadCodecs: [gzipCodec, payloadLimitCodec] };
  return { payloadCodecs: [gzipCodec, encryptionCodec(encryption), payloadLimitCodec], failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH };
}
