import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestLake, type TestLake } from '../support/lake';

const CLI = path.resolve(__dirname, '../../src/cli.js');
const run = promisify(execFile);
let lake: TestLake;

before(async () => {
  lake = await createTestLake(500);
});
after(() => lake.remove());

test('serve honours PORT and HOST, answers a token from `token`, and exits cleanly on SIGTERM', async () => {
  const { LAKEGATE_JWT_SECRET: _secret, ...tokenEnv } = process.env;
  const { stdout: token } = await run(process.execPath, [CLI, 'token', '--role', 'analyst', '--config', lake.configFile], { env: tokenEnv });
  assert.match(token.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/, 'stdout is the token alone');
  // Without LAKEGATE_JWT_SECRET both commands share the lake's generated dev secret.
  const { LAKEGATE_JWT_SECRET: _unset, ...env } = process.env;
  const child = spawn(process.execPath, [CLI, 'serve', '--config', lake.configFile], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
      body: JSON.stringify({ query: '{ customers(limit: 2) { name } }' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { data: { customers: unknown[] } }).data.customers.length, 2);
    // That is local mode: the pages may sign in as a dev role.
    const signIn = await fetch(new URL('/dev-token', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'analyst' }) });
    assert.equal(signIn.status, 200);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

test('a configuration with mistakes is reported in full and nothing starts', async () => {
  const broken = path.join(lake.dir, 'broken.yaml');
  writeFileSync(broken, `catalog: { glue: { files: [glue/sales.json] } }
engines: { local: { type: duckdb, lakePath: ., s3Prefix: "s3://lakegate-sample/" } }
datasets:
  - { name: orders, type: Order, table: sales.orders }
  - { name: customers, type: Customer, table: sales.customers, relations: { orders: { dataset: order, kind: many, on: { customer_id: customer_id } } } }
`);
  const failure = await run(process.execPath, [CLI, 'serve', '--config', broken]).then(() => null, (error: { code: number; stderr: string }) => error);
  assert.ok(failure, 'serve must refuse a broken configuration');
  assert.equal(failure.code, 1);
  assert.match(failure.stderr, /2 problem\(s\); nothing was started/);
  assert.match(failure.stderr, /broken\.yaml:4: datasets\[0\]\.table: no table "sales\.orders" in the Glue catalog/);
  assert.match(failure.stderr, /broken\.yaml:5: datasets\[1\]\.relations\.orders\.dataset: no dataset "order"/);
  assert.doesNotMatch(failure.stderr, /\n\s+at /, 'no stack trace');
});

test('an unknown dev role is refused with the list of roles', async () => {
  const failure = await run(process.execPath, [CLI, 'token', '--role', 'root', '--config', lake.configFile]).then(() => null, (error: { stderr: string }) => error);
  assert.match(failure?.stderr ?? '', /unknown dev role "root"; known roles: .*analyst/);
});

test('schema --role prints the schema as that role sees it', async () => {
  const { stdout: full } = await run(process.execPath, [CLI, 'schema', '--config', lake.configFile]);
  const { stdout: analyst } = await run(process.execPath, [CLI, 'schema', '--role', 'analyst', '--config', lake.configFile]);
  const { stdout: guest } = await run(process.execPath, [CLI, 'schema', '--role', 'guest', '--config', lake.configFile]);
  assert.match(full, /\n {2}email: String/);
  assert.match(full, /\n {2}employees\(/);
  assert.doesNotMatch(analyst, /\n {2}email: String/, 'email is hidden from the analyst');
  assert.doesNotMatch(analyst, /\n {2}employees\(/);
  assert.match(analyst, /\n {2}transactions\(/);
  assert.doesNotMatch(guest, /\n {2}customers\(/);
  assert.match(guest, /\n {2}catalog: CatalogInfo!/);
});
