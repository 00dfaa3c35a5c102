import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type ServerProcess } from '../../bench/server-process';
import { callerTokens, runWorkload } from '../../bench/workload';
import { loadConfig } from '../../src/config/load';
import { TEST_SECRET } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * A short `npm run load`: the mixed workload against `lakegate serve` (a process of its own) for
 * a few seconds. The long runs and the fault scenarios stay in `npm run load`.
 */
let lake: TestLake;
let server: ServerProcess;

before(async () => {
  lake = await createTestLake(3000);
  server = await startServer(lake.configFile, { LAKEGATE_JWT_SECRET: TEST_SECRET });
});
after(async () => {
  await server.stop();
  lake.remove();
});

test('a short mixed load: no 5xx, no socket error, the over-limit document refused, nothing but JSON on the output', async () => {
  const tokens = callerTokens(loadConfig(lake.configFile).value!.config.auth, TEST_SECRET, 'analyst', 8);
  const run = await runWorkload(server.url, tokens, { connections: 8, seconds: 3 });
  assert.ok(run.requests > 0);
  assert.equal(run.serverErrors, 0, JSON.stringify(run.statuses));
  assert.equal(run.socketErrors, 0);
  assert.ok((run.statuses['200'] ?? 0) > 0, JSON.stringify(run.statuses));
  assert.ok((run.statuses['400'] ?? 0) > 0, 'the over-limit document is refused');
  assert.deepEqual(server.stderrLines(), []);
  assert.deepEqual(server.nonJsonStdout(), []);
});
