import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import pino from 'pino';
import { signDevToken } from '../src/auth/dev-token';
import type { LoadedConfig } from '../src/config/load';
import { forwardingEngine } from '../src/datasources/forwarding';
import { createLakegate } from '../src/server/app';
import { startAthenaEmulator } from '../test/emulators/athena';
import { median } from './load';

/**
 * The Athena path: the same GraphQL queries served by Athena (our emulator over the same lake,
 * through the real SDK). Reports what the API adds on top of the emulator's own completion time
 * (StartQueryExecution received → SUCCEEDED) and the GetQueryExecution polls per query.
 */
export async function benchAthena(loaded: LoadedConfig, cases: readonly { name: string; query: string }[], iterations: number, secret: string): Promise<void> {
  const local = loaded.config.engines.local!;
  const emulator = await startAthenaEmulator({ tables: loaded.catalog.tables, lakePath: path.resolve(loaded.dir, local.lakePath), s3Prefix: local.s3Prefix });
  const polls = new Map<string, number>();
  const lakegate = await createLakegate({
    loaded: {
      ...loaded,
      config: { ...loaded.config, engines: { ...loaded.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } } },
      catalog: { ...loaded.catalog, datasets: loaded.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena', 'local'] })) },
    },
    logger: pino({ level: 'silent' }),
    env: { LAKEGATE_JWT_SECRET: secret },
    engineClients: { athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) },
    decorateEngine: (engine) => forwardingEngine(engine, async (inner, query, options) => {
      const result = await inner.execute(query, options);
      polls.set(result.stats.queryId, (result.stats as { polls?: number }).polls ?? 0);
      return result;
    }),
  });
  const url = `${await lakegate.listen(0, '127.0.0.1')}/graphql`;
  const token = signDevToken(loaded.config.auth, secret, 'analyst');
  const run = async (query: string): Promise<{ wallMs: number; engineMs: number; polls: number }> => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { errors?: unknown; extensions: { lakegate: { queries: { queryId: string; engine: string }[] } } };
    const wallMs = performance.now() - started;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const ids = body.extensions.lakegate.queries.map((entry) => entry.queryId);
    const records = emulator.queries().filter((record) => ids.includes(record.id));
    const engineMs = records.reduce((sum, record) => sum + ((record.completedAt ?? record.submittedAt) - record.submittedAt), 0);
    return { wallMs, engineMs, polls: ids.reduce((sum, id) => sum + (polls.get(id) ?? 0), 0) };
  };

  process.stdout.write(`\nAthena path (emulator on DuckDB over the same lake, real SDK), ${iterations} runs per case\n`);
  process.stdout.write(`${'case'.padEnd(52)} ${'API ms'.padStart(9)} ${'engine ms'.padStart(10)} ${'added ms'.padStart(9)} ${'polls'.padStart(6)}\n`);
  try {
    for (const { name, query } of cases) {
      await run(query);
      const samples = [];
      for (let i = 0; i < iterations; i += 1) samples.push(await run(query));
      const added = median(samples.map((sample) => sample.wallMs - sample.engineMs));
      process.stdout.write(`${name.padEnd(52)} ${median(samples.map((s) => s.wallMs)).toFixed(1).padStart(9)} ${median(samples.map((s) => s.engineMs)).toFixed(1).padStart(10)} ${added.toFixed(1).padStart(9)} ${median(samples.map((s) => s.polls)).toFixed(1).padStart(6)}\n`);
    }
  } finally {
    await lakegate.stop();
    await emulator.close();
  }
}
