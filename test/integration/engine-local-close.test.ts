import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { formatIssue, loadConfig } from '../../src/config/load';
import { createLocalEngine } from '../../src/datasources/local/engine';
import { withCode } from '../support/engine-errors';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * Closing the embedded engine while queries connect and run (a SIGTERM during a burst, the KPI
 * refresher mid-run): the running ones are interrupted and waited for before the database
 * closes — a connection opened on a closed DuckDB instance crashed the process (SIGSEGV).
 */
let lake: TestLake;

before(async () => {
  lake = await createTestLake(300);
});
after(() => lake?.remove());

test('close interrupts and waits for the queries in flight; later queries and health checks are refused', async () => {
  const loaded = loadConfig(lake.configFile);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const settings = loaded.value.config.engines.local!;
  for (let round = 0; round < 5; round += 1) {
    const engine = await createLocalEngine({ tables: loaded.value.catalog.tables, lakePath: path.resolve(loaded.value.dir, settings.lakePath), s3Prefix: settings.s3Prefix });
    const slow = assert.rejects(engine.execute({ sql: 'SELECT count(*) FROM range(100000000000) a', params: [] }), withCode('ENGINE_UNAVAILABLE'), 'the long query is interrupted by the shutdown');
    const burst = Promise.allSettled([...Array.from({ length: 30 }, () => engine.execute({ sql: 'SELECT count(*) AS n FROM sales.transactions', params: [] })), engine.health()]);
    await new Promise((resolve) => setTimeout(resolve, round * 5));
    await engine.close();
    await slow;
    for (const outcome of await burst) {
      if (outcome.status === 'rejected') assert.equal((outcome.reason as { code?: string }).code, 'ENGINE_UNAVAILABLE');
    }
    await assert.rejects(engine.execute({ sql: 'SELECT 1', params: [] }), withCode('ENGINE_UNAVAILABLE'));
    assert.equal(await engine.health(), false);
  }
});
