/** How query parameters are read, alike on every route. */
import { Transform } from 'class-transformer';
import { Matches, type ValidationOptions } from 'class-validator';

/**
 * A list given comma-separated (`?state=SUCCESS,FAILURE`), repeated (`?state=SUCCESS&state=FAILURE`)
 * or both; empty items are dropped. Anything else (`?state[a]=1`) is left for the validators to refuse.
 */
export function CommaSeparated(): PropertyDecorator {
  return Transform(({ value }) => {
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return value;
    return items.flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean);
  });
}

/** Text free of control characters, which no name or id holds and Temporal's visibility query cannot take. */
export function NoControlCharacters(): PropertyDecorator {
  return Matches(/^\P{Cc}*$/u, { message: '$property must not contain control characters' });
}

/** A queue named in a query: one tasks are sent to, or a rate-limited task's own (`celery@crawl`). */
export function QueueName(options: ValidationOptions = {}): PropertyDecorator {
  return Matches(/^[\w.:@-]{1,200}$/, { message: 'queue may only contain letters, digits and _ . : @ - (at most 200)', ...options });
}
