/** How query parameters are read, alike on every route: zod schemas for their values. */
import { z } from 'zod';

/** Text free of control characters, which no name or id holds and Temporal's visibility query cannot take. */
export function text(max: number) {
  return z.string({ error: 'must be a string' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^\P{Cc}*$/u, { error: 'must not contain control characters' });
}

const QUEUE_NAME = '[\\w.:@-]{1,200}';
const QUEUE_MESSAGE = 'may only contain letters, digits and _ . : @ - (at most 200)';

/** A queue named in a query: one tasks are sent to, or a rate-limited task's own (`celery@crawl`). */
export const queueName = z.string({ error: QUEUE_MESSAGE }).regex(new RegExp(`^${QUEUE_NAME}$`), { error: QUEUE_MESSAGE });

/**
 * A list given comma-separated (`?state=SUCCESS,FAILURE`), repeated (`?state=SUCCESS&state=FAILURE`)
 * or both; empty items are dropped. Each item must match the pattern `item` (refused as a whole,
 * naming the parameter), which the document states as each value's pattern.
 */
export function commaList(item: string, message: string, max: number) {
  const list = new RegExp(`^\\s*(?:${item})?\\s*(?:,\\s*(?:${item})?\\s*)*$`);
  const value = z.string({ error: message }).regex(list, { error: message });
  // Checked as a whole so that the message names the parameter, not one of its values; documented per value.
  const values = z.array(z.string({ error: message })).refine((given) => given.every((one) => list.test(one)), { error: message })
    .meta({ items: { type: 'string', pattern: list.source } });
  return z.union([value, values], { error: message })
    .transform((given) => (typeof given === 'string' ? [given] : given).flatMap((part) => part.split(',')).map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.string()).max(max, { error: `must name at most ${max}` }));
}

/** Queue names, comma-separated or repeated. */
export const queueList = commaList(QUEUE_NAME, QUEUE_MESSAGE, 50);
