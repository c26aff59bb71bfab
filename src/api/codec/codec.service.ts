import { gunzipSync } from 'node:zlib';
import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { encodingOf, GZIP_ENCODING, gzipCodec } from '../../temporal/codec.js';
import type { PayloadDto } from './codec.dto.js';

/**
 * The most one /codec/decode request gunzips, all payloads together: what a Temporal payload
 * (2 MB at most) of JSON plausibly expands to, and a bound on what a small gzip bomb could.
 */
export const DECODED_LIMIT_BYTES = 128 * 1024 * 1024;

/** The payload codecs of this deployment's clients and workers (with its encryption keys, if any). */
export const CODECS = Symbol('PayloadCodecs');

/**
 * Temporal's codec-server protocol over the codecs every Celerity client and worker uses
 * (`dataConverter().payloadCodecs`, gzipCodec first): encode runs them in order, decode in
 * reverse, as the SDK does. Each payload is converted on its own, so an error names it.
 */
@Injectable()
export class CodecService {
  constructor(@Inject(CODECS) private readonly codecs: readonly PayloadCodec[]) {}

  async encode(payloads: PayloadDto[]): Promise<PayloadDto[]> {
    const encoded: PayloadDto[] = [];
    for (const [i, dto] of payloads.entries()) {
      let payload = fromJson(dto);
      try {
        for (const codec of this.codecs) [payload] = await codec.encode([payload]);
      } catch (err) {
        throw new BadRequestException(`payloads.${i} cannot be encoded: ${(err as Error).message}`);
      }
      encoded.push(toJson(payload));
    }
    return encoded;
  }

  async decode(payloads: PayloadDto[]): Promise<PayloadDto[]> {
    let budget = DECODED_LIMIT_BYTES;
    const decoded: PayloadDto[] = [];
    for (const [i, dto] of payloads.entries()) {
      let payload = fromJson(dto);
      for (const codec of [...this.codecs].reverse()) {
        // Checked where gzip comes off: inside an encrypted payload, only once it is decrypted.
        if (codec === gzipCodec && encodingOf(payload) === GZIP_ENCODING) budget -= gunzippedSize(payload, i, budget);
        try {
          [payload] = await codec.decode([payload]);
        } catch (err) {
          throw new BadRequestException(`payloads.${i} cannot be decoded: ${(err as Error).message}`);
        }
      }
      decoded.push(toJson(payload));
    }
    return decoded;
  }
}

/** Gunzips a payload's data no further than `budget` bytes, before the codec gunzips it for good. */
function gunzippedSize(payload: Payload, index: number, budget: number): number {
  try {
    return gunzipSync(payload.data ?? new Uint8Array(), { maxOutputLength: Math.max(budget, 1) }).length;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeException(
        `payloads.${index} gunzips past ${DECODED_LIMIT_BYTES / 2 ** 20} MiB, the most one /codec/decode request decodes; send fewer payloads at a time`,
      );
    }
    throw new BadRequestException(`payloads.${index} is ${GZIP_ENCODING} but its data does not gunzip: ${(err as Error).message}`);
  }
}


/** proto3 JSON (bytes as base64) to a Payload. */
function fromJson(dto: PayloadDto): Payload {
  const metadata = Object.fromEntries(Object.entries(dto.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { metadata, data: Buffer.from(dto.data ?? '', 'base64') };
}

/** A Payload to proto3 JSON; empty data is left out, as proto3 JSON leaves out empty fields. */
function toJson(payload: Payload): PayloadDto {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, base64(value ?? new Uint8Array())]));
  return payload.data?.length ? { metadata, data: base64(payload.data) } : { metadata };
}
