/** Celerity's search attributes: how tasks are found in the Temporal UI and by GET /tasks. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TASK_NAME = defineSearchAttributeKey('CelerityTask', SearchAttributeType.KEYWORD);
export const TASK_QUEUE = defineSearchAttributeKey('CelerityQueue', SearchAttributeType.KEYWORD);
export const ROOT_ID = defineSearchAttributeKey('CelerityRootId', SearchAttributeType.KEYWORD);
export const PARENT_ID = defineSearchAttributeKey('CelerityParentId', SearchAttributeType.KEYWORD);
export const SCHEDULE_ID = defineSearchAttributeKey('CelerityScheduleId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TASK_NAME, TASK_QUEUE, ROOT_ID, PARENT_ID, SCHEDULE_ID];
