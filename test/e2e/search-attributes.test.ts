/** On a cluster that lacks them, Celerity registers its search attributes once, idempotently. */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ensureSearchAttributes, SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes.js';

test('ensureSearchAttributes adds the missing ones and is a no-op the second time', async () => {
  const connection = await Connection.connect({ address: process.env.CELERITY_TEST_TEMPORAL_ADDRESS });
  const namespace = `fresh-${randomUUID().slice(0, 8)}`;
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const client = new Client({ connection, namespace });
    const names = async () => Object.keys((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {});
    expect(await names()).not.toContain('CelerityTask');
    // A new namespace can take a moment to be usable everywhere.
    let warnings: string[] = [];
    for (let i = 0; i < 50; i++) {
      warnings = [];
      await ensureSearchAttributes(client, namespace, (m) => warnings.push(m));
      if (warnings.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(warnings).toEqual([]);
    expect(await names()).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((key) => key.name)));
    await ensureSearchAttributes(client, namespace, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
  } finally {
    await connection.close();
  }
});
