/** Celerity's search attributes: how tasks are found in the Temporal UI and by GET /tasks. */
import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';

export const TASK_NAME = defineSearchAttributeKey('CelerityTask', SearchAttributeType.KEYWORD);
export const TASK_QUEUE = defineSearchAttributeKey('CelerityQueue', SearchAttributeType.KEYWORD);
export const ROOT_ID = defineSearchAttributeKey('CelerityRootId', SearchAttributeType.KEYWORD);
export const PARENT_ID = defineSearchAttributeKey('CelerityParentId', SearchAttributeType.KEYWORD);
export const SCHEDULE_ID = defineSearchAttributeKey('CelerityScheduleId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TASK_NAME, TASK_QUEUE, ROOT_ID, PARENT_ID, SCHEDULE_ID];

/**
 * Registers Celerity's search attributes on a real cluster, idempotently (the dev server gets
 * them at start). Where the operator API is not allowed (e.g. Temporal Cloud without admin
 * rights), says what to register instead of failing.
 */
export async function ensureSearchAttributes(client: Client, namespace: string, warn: (message: string) => void): Promise<void> {
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  } catch (err) {
    warn(
      `could not register Celerity's search attributes (${(err as Error).message}); register them as Keyword: ` +
        SEARCH_ATTRIBUTES.map((key) => key.name).join(', '),
    );
  }
}
