import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Dataset } from '../../src/catalog/types';
import { planRows } from '../../src/planner/rows';
import { applyPolicy } from '../../src/policy/rewrite';
import { column, compare } from '../../src/query/expr';
import type { TableView } from '../../src/query/types';
import { compileQuery } from '../../src/sql/compiler';
import { duckdbDialect } from '../../src/sql/duckdb';
import { startTestApp, type TestApp } from '../support/app';
import { withCode } from '../support/engine-errors';

let app: TestApp;

before(async () => {
  app = await startTestApp();
});
after(() => app.close());

function dataset(name: string): Dataset {
  return app.loaded.catalog.datasets.find((candidate) => candidate.name === name)!;
}

/** Runs the planner's own SQL under EXPLAIN ANALYZE on the real engine and reads the file count. */
async function filesRead(name: string, where: Record<string, unknown> | null, view?: TableView): Promise<number> {
  const planned = planRows(dataset(name), { where, limit: 10 }, new Map([['amount', []]]), app.loaded.config.limits);
  const compiled = compileQuery(view ? applyPolicy(planned, view) : planned, duckdbDialect);
  const result = await app.localEngine().execute({ sql: `EXPLAIN ANALYZE ${compiled.sql}`, params: compiled.params });
  const plan = result.rows.map((row) => String(row['explain_value'])).join('\n');
  const match = /Total Files Read:\s*(\d+)/.exec(plan);
  assert.ok(match, plan);
  return Number(match[1]);
}

test('a filter on the partition column prunes files (Parquet)', async () => {
  assert.equal(await filesRead('transactions', null), 91);
  assert.equal(await filesRead('transactions', { dt: { eq: '2024-02-01' } }), 1);
  assert.equal(await filesRead('transactions', { dt: { gte: '2024-03-25' } }), 7);
  assert.equal(await filesRead('transactions', { dt: { in: ['2024-01-01', '2024-01-31'] }, amount: { gt: 10 } }), 2);
});

test('pruning survives the policy view (row filter and cell masks under the caller\'s filter)', async () => {
  const view: TableView = {
    kind: 'view',
    table: dataset('transactions').table,
    columns: dataset('transactions').columns.map((col) => col.name),
    rowFilter: compare('eq', column('currency'), { value: 'JPY', type: { kind: 'string' } }),
    masks: [{ column: 'amount', visibleWhen: compare('eq', column('status'), { value: 'completed', type: { kind: 'string' } }) }],
  };
  assert.equal(await filesRead('transactions', { dt: { eq: '2024-02-01' } }, view), 1);
});

test('a filter on the partition column prunes files (JSON)', async () => {
  assert.equal(await filesRead('events', { dt: { eq: '2024-02-01' } }), 1);
});

const SLOW_SQL = 'SELECT count(*) FROM range(100000000000) a';

test('a query whose caller aborts is interrupted and reported as cancelled', async () => {
  const controller = new AbortController();
  const running = app.localEngine().execute({ sql: SLOW_SQL, params: [] }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(running, withCode('QUERY_CANCELLED'));
  const before = new AbortController();
  before.abort();
  await assert.rejects(app.localEngine().execute({ sql: 'SELECT 1', params: [] }, { signal: before.signal }), withCode('QUERY_CANCELLED'));
});

test('a query past its deadline is interrupted with QUERY_TIMEOUT', async () => {
  await assert.rejects(app.localEngine().execute({ sql: SLOW_SQL, params: [] }, { deadline: Date.now() + 50 }), withCode('QUERY_TIMEOUT'));
});
