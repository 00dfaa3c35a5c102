import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { formatIssue, loadConfig } from '../src/config/load';
import { generateSampleLake, refreshSampleCatalog } from '../src/sample/generate';
import { startAthenaEmulator } from '../test/emulators/athena';
import { freePort, startServer } from './server-process';
import { callerTokens, runWorkload, type LoadRun } from './workload';

/**
 * `npm run load [-- SCENARIO ...]`: the real server (`lakegate serve`, a process of its own) on the
 * sample lake under a mixed workload from autocannon, and the faults an operator meets: Redis
 * stopped, an engine gone, SIGTERM — each mid-load. Prints the figures and whether each held.
 */
const SAMPLE_DIR = path.resolve('.lake', 'sample');
const SECRET = 'load-secret-load-secret-load-secret-0123456';
const CONNECTIONS = Number(process.env['LOAD_CONNECTIONS'] ?? 64);
const WARMUP_SECONDS = Number(process.env['LOAD_WARMUP_SECONDS'] ?? 20);
const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 60);
const FAULT_SECONDS = Number(process.env['LOAD_FAULT_SECONDS'] ?? 20);

type Scenario = 'mixed' | 'redis' | 'engine' | 'sigterm';
const SCENARIOS: Readonly<Record<Scenario, () => Promise<boolean>>> = { mixed, redis: redisOutage, engine: engineOutage, sigterm };

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  if (!existsSync(path.join(SAMPLE_DIR, 'lakegate.yaml'))) await generateSampleLake({ outDir: SAMPLE_DIR, rows: 100_000 });
  else await refreshSampleCatalog(SAMPLE_DIR);
  let held = true;
  for (const name of (asked.length > 0 ? asked : Object.keys(SCENARIOS)) as Scenario[]) held = (await SCENARIOS[name]()) && held;
  process.stdout.write(`\n${held ? 'every scenario held' : 'SOME SCENARIO FAILED'}\n`);
  process.exitCode = held ? 0 : 1;
}

/** The sample's curation file with `change` applied, written beside it (relative paths keep working). */
type Yaml = Record<string, unknown>;

function sampleConfig(name: string, change: (config: Yaml) => void = () => undefined): string {
  const config = parse(readFileSync(path.join(SAMPLE_DIR, 'lakegate.yaml'), 'utf8')) as Yaml;
  change(config);
  const file = path.join(SAMPLE_DIR, `.load-${name}.yaml`);
  writeFileSync(file, stringify(config));
  const loaded = loadConfig(file);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return file;
}

function tokensFor(config: string): string[] {
  return callerTokens(loadConfig(config).value!.config.auth, SECRET, 'analyst', CONNECTIONS);
}

function report(title: string, run: LoadRun, extra: readonly string[] = []): void {
  const statuses = Object.entries(run.statuses).map(([code, count]) => `${code}: ${count}`).join(', ');
  process.stdout.write(`\n${title}\n  ${run.requests} requests, ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms\n  statuses ${statuses}; 5xx ${run.serverErrors}; socket errors ${run.socketErrors}\n`);
  for (const line of extra) process.stdout.write(`  ${line}\n`);
}

function verdict(checks: readonly [string, boolean][]): boolean {
  for (const [what, ok] of checks) process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  return checks.every(([, ok]) => ok);
}

/** Warm-up, then the measured window with the server's RSS sampled every second. */
async function mixed(): Promise<boolean> {
  const config = sampleConfig('mixed');
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: SECRET });
  try {
    const tokens = tokensFor(config);
    await runWorkload(server.url, tokens, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    const rss: number[] = [server.rssBytes()];
    const run = await runWorkload(server.url, tokens, { connections: CONNECTIONS, seconds: SECONDS, onTick: () => rss.push(server.rssBytes()) });
    rss.push(server.rssBytes());
    const growth = (rss.at(-1)! - rss[0]!) / rss[0]!;
    const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
    report(`mixed workload: ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured`, run, [
      `RSS ${mb(rss[0]!)} → ${mb(rss.at(-1)!)} (${(growth * 100).toFixed(1)}%), peak ${mb(Math.max(...rss))}`,
      `stderr lines: ${server.stderrLines().length}; stdout lines that are not JSON: ${server.nonJsonStdout().length}`,
    ]);
    return verdict([
      ['zero 5xx', run.serverErrors === 0],
      ['zero socket errors', run.socketErrors === 0],
      ['the over-limit document refused (400)', (run.statuses['400'] ?? 0) > 0],
      ['RSS growth over the measured window under 10%', growth < 0.1],
      ['no warning on stderr, every log line JSON', server.stderrLines().length === 0 && server.nonJsonStdout().length === 0],
    ]);
  } finally {
    await server.stop();
    rmSync(config, { force: true });
  }
}

/** A Redis of our own behind the cache and the rate limits, stopped halfway through. */
async function redisOutage(): Promise<boolean> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await sleep(300);
  const config = sampleConfig('redis', (c) => {
    c['cache'] = { redis: { url: `redis://127.0.0.1:${port}/0`, urlEnv: 'LAKEGATE_LOAD_REDIS_UNSET' } };
  });
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: SECRET });
  try {
    const stop = sleep(FAULT_SECONDS * 500).then(() => redis.kill('SIGKILL'));
    const run = await runWorkload(server.url, tokensFor(config), { connections: CONNECTIONS, seconds: FAULT_SECONDS });
    await stop;
    report(`Redis stopped mid-load (after ${FAULT_SECONDS / 2} s of ${FAULT_SECONDS} s)`, run);
    return verdict([['zero 5xx', run.serverErrors === 0], ['zero socket errors', run.socketErrors === 0], ['requests kept succeeding', (run.statuses['200'] ?? 0) > 0]]);
  } finally {
    redis.kill('SIGKILL');
    await server.stop();
    rmSync(config, { force: true });
  }
}

/** Athena (the emulator over the same lake) serves ad-hoc reads with the embedded engine as fallback; the emulator goes away halfway. */
async function engineOutage(): Promise<boolean> {
  const loaded = loadConfig(path.join(SAMPLE_DIR, 'lakegate.yaml')).value!;
  const local = loaded.config.engines.local!;
  const emulator = await startAthenaEmulator({ tables: loaded.catalog.tables, lakePath: path.resolve(loaded.dir, local.lakePath), s3Prefix: local.s3Prefix });
  const config = sampleConfig('engine', (c) => {
    (c['engines'] as Yaml)['athena'] = { region: 'eu-west-1', endpoint: emulator.endpoint };
    c['routing'] = { adHoc: 'athena', sla: 'athena', fallbacks: { athena: 'local' } };
  });
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: SECRET, AWS_ACCESS_KEY_ID: 'load', AWS_SECRET_ACCESS_KEY: 'load', AWS_REGION: 'eu-west-1' });
  try {
    const stop = sleep(FAULT_SECONDS * 500).then(() => emulator.close());
    const run = await runWorkload(server.url, tokensFor(config), { connections: CONNECTIONS, seconds: FAULT_SECONDS });
    await stop;
    report(`Athena gone mid-load (after ${FAULT_SECONDS / 2} s of ${FAULT_SECONDS} s), fallback to the embedded engine`, run);
    return verdict([['zero 5xx', run.serverErrors === 0], ['zero socket errors', run.socketErrors === 0], ['requests kept succeeding', (run.statuses['200'] ?? 0) > 0]]);
  } finally {
    await server.stop();
    await emulator.close().catch(() => undefined);
    rmSync(config, { force: true });
  }
}

/** SIGTERM mid-load: requests in flight finish, new ones are refused, the process exits 0. */
async function sigterm(): Promise<boolean> {
  const config = sampleConfig('sigterm');
  const server = await startServer(config, { LAKEGATE_JWT_SECRET: SECRET });
  const tokens = tokensFor(config);
  const slow = '{ transactionsAggregate(groupBy: [CUSTOMER_ID], orderBy: [{ sum: { amount: DESC } }], limit: 5) { key { customerId } sum { amount } } }';
  const post = (query: string) => fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
    body: JSON.stringify({ query }),
  }).then((response) => response.status, (error: Error) => `refused (${error.cause ? String((error.cause as Error).message ?? error.cause) : error.message})`);
  const load = runWorkload(server.url, tokens, { connections: CONNECTIONS, seconds: FAULT_SECONDS });
  await sleep(FAULT_SECONDS * 500);
  const inFlight = Array.from({ length: 8 }, () => post(slow));
  await sleep(20);
  const exit = server.signal('SIGTERM');
  await sleep(200);
  const late = await post('{ __typename }');
  const [statuses, code] = await Promise.all([Promise.all(inFlight), exit]);
  const run = await load;
  rmSync(config, { force: true });
  report(`SIGTERM after ${FAULT_SECONDS / 2} s of load`, run, [
    `8 requests in flight at SIGTERM answered ${statuses.join(', ')}`,
    `a request after SIGTERM: ${late}`,
    `exit code ${code}`,
  ]);
  return verdict([
    ['in-flight requests finished (200)', statuses.every((status) => status === 200)],
    ['new requests refused (503 or connection refused)', late === 503 || String(late).startsWith('refused')],
    ['exit code 0', code === 0],
    ['no 5xx other than 503 while shutting down', run.serverErrors === (run.statuses['503'] ?? 0)],
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
