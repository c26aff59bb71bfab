/**
 * The payload codec of every Celerity client and worker: a payload larger than COMPRESS_ABOVE
 * is stored gzipped, so that a large canvas (the tree a workflow is started with, a chord's
 * header results) fits Temporal's payload limit (2 MB by default). Smaller payloads are left
 * as they are, readable in the Temporal UI without a codec server.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

export const COMPRESS_ABOVE = 64 * 1024;
const GZIP = 'binary/gzip';
// @temporalio/proto is CommonJS without named exports.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const gzipCodec: PayloadCodec = {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      (payload.data?.length ?? 0) <= COMPRESS_ABOVE
        ? payload
        : { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(GZIP) }, data: gzipSync(PayloadMessage.encode(payload).finish()) },
    );
  },
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() === GZIP ? PayloadMessage.decode(gunzipSync(payload.data!)) : payload,
    );
  },
};

/** The data converter option every Client and Worker is created with. */
export const dataConverter = { payloadCodecs: [gzipCodec] };
