import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generate } from '@graphql-codegen/cli';
import { getIntrospectionQuery, printSchema } from 'graphql';
import request from 'supertest';
import { loadConfig } from '../../src/config/load';
import { documentHash } from '../../src/config/persisted-documents';
import { buildLakeSchema } from '../../src/schema/build';
import { startConfiguredApp, startTestApp, type ConfiguredApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';
import { EngineQueryCount } from '../support/query-count';

/**
 * Trusted documents: `persistedQueries.mode` off (any document; the APQ extension is not
 * supported), apq (Apollo's automatic persisted queries, limits still applying) and allowlist
 * (only the documents of the manifest `npm run codegen` writes, sent in full or by hash).
 */

let lake: TestLake;
const engineQueries = new EngineQueryCount();
before(async () => {
  lake = await createTestLake();
});
after(() => lake.remove());

/** POSTs a GraphQL-over-HTTP body as is (a persisted-query request may carry no `query`). */
function post(app: ConfiguredApp, body: Record<string, unknown>, role = 'analyst'): request.Test {
  return request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token(role)}`).send(body);
}

const persisted = (query: string): { persistedQuery: { version: number; sha256Hash: string } } => ({ persistedQuery: { version: 1, sha256Hash: documentHash(query) } });

describe('apq', () => {
  let app: ConfiguredApp;
  before(async () => {
    app = await startTestApp({ lake, configure: (loaded) => ({ ...loaded, config: { ...loaded.config, persistedQueries: { mode: 'apq' } } }) });
  });
  after(() => app.close());

  test('a document registered with its hash then runs from the hash alone', async () => {
    const query = '{ customers(limit: 2, orderBy: [{ customerId: ASC }]) { customerId } }';
    const unknown = await post(app, { extensions: persisted(query) });
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND', JSON.stringify(unknown.body));
    const registered = await post(app, { query, extensions: persisted(query) });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const byHash = await post(app, { extensions: persisted(query) });
    assert.equal(byHash.status, 200, JSON.stringify(byHash.body));
    assert.deepEqual(byHash.body.data, registered.body.data);
    assert.ok(byHash.body.extensions.lakegate.cost, 'the cost is reported for a hash-only request too');
  });

  test('an unknown hash is PERSISTED_QUERY_NOT_FOUND (the client then sends the document)', async () => {
    const response = await post(app, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND');
  });

  test('a document over a limit is refused when registered, and is not registered', async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, index) => `a${index}: transactions(limit: 1) { amount }`).join(' ')} }`;
    const before = engineQueries.count;
    const registering = await post(app, { query, extensions: persisted(query) });
    assert.equal(registering.status, 400);
    assert.equal(registering.body.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    assert.equal(registering.body.errors[0].extensions.limit, 'maxAliases');
    const byHash = await post(app, { extensions: persisted(query) });
    assert.equal(byHash.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND');
    assert.equal(engineQueries.count, before);
  });

  test('a registered document sent by hash is still held to the limits that read its variables', async () => {
    const query = 'query($channels: [String!]) { transactions(where: { channel: { in: $channels } }, limit: 1) { amount } }';
    const registered = await post(app, { query, variables: { channels: ['web'] }, extensions: persisted(query) });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const channels = Array.from({ length: 1001 }, (_, index) => `c${index}`);
    const byHash = await post(app, { variables: { channels }, extensions: persisted(query) });
    assert.equal(byHash.status, 400);
    assert.equal(byHash.body.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    assert.equal(byHash.body.errors[0].extensions.limit, 'maxListLength');
  });

  test('a hash that is not the document\'s is refused', async () => {
    const response = await post(app, { query: '{ customers(limit: 1) { name } }', extensions: persisted('{ something else }') });
    assert.equal(response.status, 400);
  });
});

describe('off (the default)', () => {
  let app: ConfiguredApp;
  before(async () => {
    app = await startTestApp({ lake });
  });
  after(() => app.close());

  test('any document runs; the persisted-query extension is not supported', async () => {
    const query = '{ customers(limit: 1) { name } }';
    assert.equal((await post(app, { query })).status, 200);
    const response = await post(app, { query, extensions: persisted(query) });
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_SUPPORTED');
  });
});

describe('allowlist', () => {
  const OPERATIONS = {
    'top.graphql': 'query Top($limit: Int = 3) {\n  transactions(limit: $limit) { ...Tx }\n}\nquery Names { customers(limit: 2) { name } }\n',
    'fragments.graphql': 'fragment Tx on Transaction { transactionId amount }\n',
    'channels.graphql': 'query ByChannel($channels: [String!]) { transactions(where: { channel: { in: $channels } }, limit: 1) { amount } }\n',
  };
  let manifest: Record<string, string>;
  let app: ConfiguredApp;

  before(async () => {
    // The generator as `npm run codegen` runs it (codegen.yml), on a folder of its own.
    const folder = path.join(lake.dir, 'client');
    mkdirSync(path.join(folder, 'operations'), { recursive: true });
    for (const [file, text] of Object.entries(OPERATIONS)) writeFileSync(path.join(folder, 'operations', file), text);
    writeFileSync(path.join(folder, 'schema.graphql'), printSchema(await buildLakeSchema(loadConfig(lake.configFile).value!.catalog)));
    await generate({
      silent: true,
      schema: path.join(folder, 'schema.graphql'),
      documents: path.join(folder, 'operations', '*.graphql'),
      generates: { [path.join(folder, 'generated', 'persisted-documents.json')]: { plugins: [path.resolve(__dirname, '../../src/codegen/persisted-documents.js')] } },
    }, true);
    manifest = JSON.parse(readFileSync(path.join(folder, 'generated', 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    const config = path.join(lake.dir, 'allowlist.yaml');
    writeFileSync(config, `${readFileSync(lake.configFile, 'utf8')}\npersistedQueries:\n  mode: allowlist\n  manifest: client/generated/persisted-documents.json\n`);
    app = await startConfiguredApp(config, { decorateEngine: engineQueries.decorate });
  });
  after(() => app?.close());

  const named = (name: string): [string, string] => Object.entries(manifest).find(([, text]) => text.startsWith(`query ${name}`))!;

  test('the generator writes one entry per operation, keyed by the sha256 of its text, with the fragments it uses', () => {
    assert.equal(Object.keys(manifest).length, 3);
    for (const [hash, text] of Object.entries(manifest)) assert.equal(hash, documentHash(text));
    assert.match(named('Top')[1], /fragment Tx on Transaction/);
    assert.doesNotMatch(named('Names')[1], /fragment/);
    assert.deepEqual(Object.keys(manifest), Object.keys(manifest).sort(), 'keys are sorted, so the file is stable');
  });

  test('a listed document runs, sent in full, by hash, or both', async () => {
    const [hash, query] = named('Top');
    const full = await post(app, { query });
    assert.equal(full.status, 200, JSON.stringify(full.body));
    assert.equal(full.body.data.transactions.length, 3);
    const byHash = await post(app, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { limit: 2 } });
    assert.equal(byHash.status, 200, JSON.stringify(byHash.body));
    assert.equal(byHash.body.data.transactions.length, 2);
    const both = await post(app, { query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    assert.equal(both.status, 200, JSON.stringify(both.body));
  });

  test('anything else is PERSISTED_QUERY_NOT_ALLOWED (HTTP 403) before any engine query: another document, the same one written differently, an unknown hash, introspection', async () => {
    const before = engineQueries.count;
    const refused = [
      { query: '{ customers(limit: 1) { name } }' },
      { query: named('Names')[1].replace('limit: 2', 'limit: 200') },
      { query: `${named('Names')[1]}\n` },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      { query: getIntrospectionQuery() },
    ];
    for (const body of refused) {
      const response = await post(app, body);
      assert.equal(response.status, 403, JSON.stringify(body).slice(0, 100));
      assert.equal(response.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_ALLOWED');
      assert.match(response.body.errors[0].message, /persisted-documents manifest/);
    }
    assert.equal(engineQueries.count, before);
  });

  test('a listed document is still held to the limits', async () => {
    const [hash] = named('ByChannel');
    const channels = Array.from({ length: 1001 }, (_, index) => `c${index}`);
    const response = await post(app, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { channels } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
  });

  test('a missing or tampered manifest stops start-up, naming the file', async () => {
    const missing = path.join(lake.dir, 'missing.yaml');
    writeFileSync(missing, `${readFileSync(lake.configFile, 'utf8')}\npersistedQueries: { mode: allowlist, manifest: nowhere/persisted-documents.json }\n`);
    await assert.rejects(startConfiguredApp(missing), (error: Error) => {
      assert.match(error.message, /missing\.yaml:\d+: persistedQueries\.manifest: file not found: .*nowhere\/persisted-documents\.json/);
      return true;
    });
    const tamperedFile = path.join(lake.dir, 'client', 'tampered.json');
    const [hash, text] = named('Names');
    writeFileSync(tamperedFile, JSON.stringify({ [hash]: text.replace('limit: 2', 'limit: 9999') }));
    const tampered = path.join(lake.dir, 'tampered.yaml');
    writeFileSync(tampered, `${readFileSync(lake.configFile, 'utf8')}\npersistedQueries: { mode: allowlist, manifest: client/tampered.json }\n`);
    await assert.rejects(startConfiguredApp(tampered), (error: Error) => {
      assert.match(error.message, new RegExp(`tampered\\.json: ${hash}: is not the sha256 of its document`));
      return true;
    });
  });
});
