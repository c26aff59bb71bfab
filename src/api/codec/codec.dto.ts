/**
 * Temporal's codec-server body, `{payloads: [{metadata, data}]}`: a Payloads message in proto3
 * JSON, so each metadata value and the data are base64 (standard or URL-safe alphabet).
 */
import { z } from 'zod';
import { component } from '../zod.js';

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const isBase64Map = (value: Record<string, unknown>) => Object.values(value).every((v) => typeof v === 'string' && BASE64.test(v));

const payloadSchema = component('PayloadDto', z.object({
  metadata: z.record(z.string(), z.unknown(), { error: 'must be an object of base64 strings' })
    .refine(isBase64Map, { error: 'must be an object of base64 strings' })
    .meta({ additionalProperties: { type: 'string', pattern: BASE64.source } })
    .optional()
    .describe("Metadata, each value base64. `encoding` names the data's format: `json/plain`, `binary/null`, or `binary/gzip` for a payload Celerity stored gzipped.")
    .meta({ example: { encoding: 'anNvbi9wbGFpbg==' } }),
  data: z.string({ error: 'must be base64' }).regex(BASE64, { error: 'must be base64' }).optional()
    .describe('The data, base64 (absent when empty).').meta({ example: 'eyJhIjoxfQ==' }),
}));
/** The refinement has checked every metadata value is a (base64) string. */
export type PayloadDto = Omit<z.output<typeof payloadSchema>, 'metadata'> & { metadata?: Record<string, string> };

export const payloadsSchema = component('PayloadsDto', z.object({
  payloads: z.array(payloadSchema, { error: 'must be an array' }),
}));
