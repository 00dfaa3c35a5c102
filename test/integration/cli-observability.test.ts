import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import YAML from 'yaml';
import { signDevToken } from '../../src/auth/dev-token';
import { loadConfig } from '../../src/config/load';
import type { AthenaEmulator } from '../emulators/athena';
import { TEST_SECRET } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * `lakegate serve` as an operator runs it, on Athena (our emulator, through the real SDK) with
 * traces to an OTLP collector (a stand-in that keeps what it receives, OTLP/HTTP JSON): under a
 * burst of concurrent engine queries every line the process writes is JSON — Node's and the
 * AWS SDK's warnings included — and the spans reach the collector, flushed on SIGTERM.
 */
const CLI = path.resolve(__dirname, '../../src/cli.js');
const CONCURRENT = 30;

interface OtlpSpan {
  readonly traceId: string;
  readonly name: string;
  readonly attributes?: readonly { key: string; value: { stringValue?: string } }[];
}
interface OtlpExport {
  readonly resourceSpans: readonly { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: readonly { spans: readonly OtlpSpan[] }[] }[];
}

let lake: TestLake;
let emulator: AthenaEmulator;
let collector: http.Server;
const received: OtlpExport[] = [];

before(async () => {
  lake = await createTestLake(500);
  emulator = await startAthenaOverLake(lake.configFile);
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') received.push(JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await new Promise((resolve) => collector?.close(resolve));
  await emulator?.close();
  lake?.remove();
});

/** The sample configuration with Athena (the emulator) added: ad-hoc reads go to it. */
function athenaConfig(): string {
  const config = YAML.parse(readFileSync(lake.configFile, 'utf8')) as { engines: Record<string, unknown>; limits: Record<string, unknown> };
  config.engines['athena'] = { region: 'eu-west-1', endpoint: emulator.endpoint };
  // The burst is one caller's CONCURRENT root fields and requests at once: above the default per-document and per-caller limits.
  Object.assign(config.limits, { maxRootFields: 2 * CONCURRENT, maxAliases: 2 * CONCURRENT, requestsPerWindow: 0, concurrentQueriesPerCaller: 0 });
  const file = path.join(path.dirname(lake.configFile), 'athena.yaml');
  writeFileSync(file, YAML.stringify(config));
  return file;
}

test('serve under a burst on Athena: only JSON lines, no warning of a leak, spans exported to the OTLP collector on exit', async () => {
  const configFile = athenaConfig();
  const { port } = collector.address() as AddressInfo;
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LAKEGATE_JWT_SECRET: TEST_SECRET,
      AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x',
      OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const look = (): void => {
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/graphql"/.exec(stdout);
        if (match) resolve(match[1]!);
      };
      child.stdout.on('data', look);
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stdout}${stderr}`)));
    });
    const token = signDevToken(loadConfig(configFile).value!.config.auth, TEST_SECRET, 'engineer');
    const ask = async (query: string, headers: Record<string, string> = {}): Promise<{ errors?: unknown; extensions: { lakegate: { queries: { engine: string }[] } } }> => {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ query }) });
      assert.equal(response.status, 200);
      return (await response.json()) as never;
    };
    const fields = Array.from({ length: CONCURRENT }, (_, index) => `q${index}: transactions(limit: ${index + 1}) { amount }`).join(' ');
    const [aliased, ...single] = await Promise.all([ask(`{ ${fields} }`), ...Array.from({ length: CONCURRENT }, (_, index) => ask(`{ customers(limit: ${index + 1}) { name } }`))]);
    for (const body of [aliased!, ...single]) assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(aliased!.extensions.lakegate.queries.length, CONCURRENT);
    assert.ok(aliased!.extensions.lakegate.queries.every((query) => query.engine === 'athena'));
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await ask('{ customers(limit: 1) { name } }', { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^lakegate_engine_bytes_scanned_total\{engine="athena"\} [1-9]\d*$/m);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stdout + stderr);
    const lines = `${stdout}${stderr}`.split('\n').filter((line) => line !== '');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line}`);
    assert.equal(stderr, '', 'pino writes to stdout; nothing else writes at all');
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; warning?: { name: string } });
    assert.deepEqual(logged.filter((line) => line.warning?.name === 'MaxListenersExceededWarning'), []);
    assert.ok(logged.some((line) => line.msg === 'tracing: OpenTelemetry SDK started'));

    const spans = received.flatMap((batch) => batch.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    const names = new Set(spans.map((span) => span.name));
    assert.deepEqual([...names].sort(), ['POST /graphql', 'lakegate.engine_query', 'lakegate.planned_query']);
    assert.ok(spans.filter((span) => span.name === 'lakegate.engine_query').length >= 2 * CONCURRENT + 1, 'every engine query was exported, the last ones on SIGTERM');
    assert.ok(spans.some((span) => span.name === 'POST /graphql' && span.traceId === traceId), 'the traceparent request continued the caller\'s trace');
    const serviceNames = received.flatMap((batch) => batch.resourceSpans.map((resource) => resource.resource.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue));
    assert.ok(serviceNames.every((name) => name === 'lakegate'));
  } finally {
    child.kill('SIGKILL');
  }
});
