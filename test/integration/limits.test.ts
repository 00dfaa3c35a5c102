import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import pino from 'pino';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { EngineQueryCount } from '../support/query-count';

/**
 * Every document limit, with the attack documents of issue 10: each refused with LIMIT_EXCEEDED
 * (HTTP 400) naming the limit and its configured value, before any engine query starts; and the
 * documents people do send (the README's, the client examples, GraphiQL's introspection) accepted
 * with their estimated cost in `extensions.lakegate.cost`.
 */

let app: TestApp;
const engineQueries = new EngineQueryCount();
before(async () => {
  app = await startTestApp({ decorateEngine: engineQueries.decorate });
});
after(() => app.close());

const ROOT = path.resolve(__dirname, '../../..');

interface Refusal {
  readonly limit: string;
  readonly max: number;
  readonly message: RegExp;
}

/** Sends the document as an ordinary analyst and checks the refusal, and that no engine query started. */
async function assertRefused(query: string, variables: Record<string, unknown>, expected: Refusal): Promise<void> {
  const before = engineQueries.count;
  const response = await app.graphql(query, variables, 'analyst');
  const error = response.body.errors?.[0];
  assert.equal(response.status, 400, JSON.stringify(response.body).slice(0, 500));
  assert.equal(response.body.errors.length, 1);
  assert.equal(error?.extensions?.code, 'LIMIT_EXCEEDED');
  assert.equal(error.extensions.limit, expected.limit);
  assert.equal(error.extensions.max, expected.max);
  assert.ok(error.message.includes(`limits.${expected.limit} is ${expected.max}`), error.message);
  assert.match(error.message, expected.message);
  assert.equal(response.body.data, undefined);
  assert.equal(engineQueries.count, before, 'no engine query may start');
}

async function assertAccepted(query: string, variables: Record<string, unknown> = {}, role = 'analyst'): Promise<{ estimated: number; engineQueries: number; rows: number; max: number }> {
  const response = await app.graphql(query, variables, role);
  assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 500));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const cost = response.body.extensions?.lakegate?.cost;
  assert.ok(cost, 'extensions.lakegate.cost is reported');
  assert.equal(cost.max, 1000);
  assert.ok(cost.estimated <= cost.max);
  return cost;
}

const aliases = (count: number, field: string): string => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join('\n');
const nestedOr = (levels: number): string => `${'{ or: ['.repeat(levels)}{ channel: { eq: "web" } }${'] }'.repeat(levels)}`;
const nestedOrJson = (levels: number): Record<string, unknown> => {
  let filter: Record<string, unknown> = { channel: { eq: 'web' } };
  for (let level = 0; level < levels; level += 1) filter = { or: [filter] };
  return filter;
};
const values = (count: number): string[] => Array.from({ length: count }, (_, index) => `v${index}`);

describe('the attack documents of issue 10', () => {
  test('10,000 aliases of transactions(limit: 1): too many tokens, never parsed', async () => {
    await assertRefused(`{ ${aliases(10_000, 'transactions(limit: 1) { amount }')} }`, {}, { limit: 'maxTokens', max: 5000, message: /^document has more than 5000 tokens/ });
  });

  test('200 aliases of transactionsAggregate(groupBy: [CHANNEL]): too many aliases (and its cost, 2,200, is over 1,000 too)', async () => {
    await assertRefused(`{ ${aliases(200, 'transactionsAggregate(groupBy: [CHANNEL]) { key { channel } count }')} }`, {}, { limit: 'maxAliases', max: 30, message: /^an operation has 200 aliases/ });
  });

  test('one field repeated 50,000 times: too many tokens', async () => {
    await assertRefused(`{ transactions(limit: 1) { ${'amount '.repeat(50_000)}} }`, {}, { limit: 'maxTokens', max: 5000, message: /more than 5000 tokens/ });
  });

  test('in with 100,000 values as a variable: the list is too long', async () => {
    const query = 'query($channels: [String!]) { transactions(where: { channel: { in: $channels } }, limit: 1) { amount } }';
    await assertRefused(query, { channels: values(100_000) }, { limit: 'maxListLength', max: 1000, message: /^variable \$channels has a list of 100000 values/ });
  });

  test('in with 100,000 values as a literal: too many tokens', async () => {
    const ids = Array.from({ length: 100_000 }, (_, index) => index);
    const query = `{ transactions(where: { customerId: { in: ${JSON.stringify(ids)} } }, limit: 1) { amount } }`;
    await assertRefused(query, {}, { limit: 'maxTokens', max: 5000, message: /more than 5000 tokens/ });
  });

  test('2,000 nested or as a literal: refused before the parser recurses (too many tokens)', async () => {
    await assertRefused(`{ transactions(where: ${nestedOr(2000)}, limit: 1) { amount } }`, {}, { limit: 'maxTokens', max: 5000, message: /more than 5000 tokens/ });
  });

  test('2,000 nested or as a variable: the filter nests too deep, refused before coercion recurses', async () => {
    const query = 'query($where: TransactionFilter) { transactions(where: $where, limit: 1) { amount } }';
    await assertRefused(query, { where: nestedOrJson(2000) }, { limit: 'maxFilterDepth', max: 8, message: /^variable \$where nests and\/or\/not 2000 deep/ });
  });

  test('selection depth 100: refused before parsing', async () => {
    const query = `{ customers { ${'transactions { customer { '.repeat(50)}name${' } }'.repeat(50)} } }`;
    await assertRefused(query, {}, { limit: 'maxDepth', max: 10, message: /^document nests selections 102 deep/ });
  });
});

describe('one test per limit', () => {
  test('maxAliases: 31 aliases', async () => {
    await assertRefused(`{ ${aliases(31, 'transactions(limit: 1) { amount }')} }`, {}, { limit: 'maxAliases', max: 30, message: /^an operation has 31 aliases; limits.maxAliases is 30$/ });
  });

  test('maxAliases counts through fragments, and 30 aliases pass', async () => {
    await assertRefused(`{ ...F a: transactions(limit: 1) { amount } } fragment F on Query { ${aliases(30, 'customers(limit: 1) { name }')} }`, {}, { limit: 'maxAliases', max: 30, message: /31 aliases/ });
    await assertAccepted(`{ transactions(limit: 1) { ${aliases(30, 'amount')} } }`);
  });

  test('maxRootFields: the same root field 21 times', async () => {
    await assertRefused(`{ ${'transactions(limit: 1) { amount } '.repeat(21)}}`, {}, { limit: 'maxRootFields', max: 20, message: /^an operation selects 21 root fields/ });
  });

  test('maxTokens: one token over', async () => {
    // `{ __typename ... }`: 2 braces and 4,999 names is 5,001 tokens.
    await assertRefused(`{ ${'__typename '.repeat(4999)}}`, {}, { limit: 'maxTokens', max: 5000, message: /more than 5000 tokens/ });
  });

  test('maxDirectives: 21 directives', async () => {
    await assertRefused(`{ transactions(limit: 1) { ${'amount @include(if: true) '.repeat(21)}} }`, {}, { limit: 'maxDirectives', max: 20, message: /^an operation has 21 directives/ });
  });

  test('maxDepth: 11 fields deep, through a fragment', async () => {
    const query = `{ customers(limit: 1) { ...Deep } } fragment Deep on Customer { ${'transactions(limit: 1) { customer { '.repeat(4)}transactions(limit: 1) { amount }${' } }'.repeat(4)} }`;
    await assertRefused(query, {}, { limit: 'maxDepth', max: 10, message: /^an operation is 11 fields deep/ });
  });

  test('maxFilterDepth: and/or/not 9 deep in a literal, also inside a relation and a KPI', async () => {
    await assertRefused(`{ transactions(where: ${nestedOr(9)}, limit: 1) { amount } }`, {}, { limit: 'maxFilterDepth', max: 8, message: /^an argument nests and\/or\/not 9 deep/ });
    await assertRefused(`{ customers(limit: 1) { transactions(where: { not: ${nestedOr(8)} }) { amount } } }`, {}, { limit: 'maxFilterDepth', max: 8, message: /9 deep/ });
    await assertRefused(`{ kpis { orders(to: "2024-03-02", where: ${nestedOr(9)}) { value } } }`, {}, { limit: 'maxFilterDepth', max: 8, message: /9 deep/ });
  });

  test('maxFilterDepth: a variable inside a literal filter adds its depth', async () => {
    const query = `query($inner: TransactionFilter!) { transactions(where: ${nestedOr(5).replace('{ channel: { eq: "web" } }', '$inner')}, limit: 1) { amount } }`;
    await assertRefused(query, { inner: nestedOrJson(4) }, { limit: 'maxFilterDepth', max: 8, message: /^an argument nests and\/or\/not 9 deep/ });
  });

  test('maxFilterDepth: brackets nested past any filter are refused before the parser (which would overflow)', async () => {
    await assertRefused(`{ transactions(limit: ${'['.repeat(2400)}1${']'.repeat(2400)}) { amount } }`, {}, { limit: 'maxFilterDepth', max: 8, message: /^an argument nests brackets 2401 deep/ });
  });

  test('maxListLength: 1,001 values in a literal', async () => {
    const query = `{ transactions(where: { channel: { notIn: ${JSON.stringify(values(1001))} } }, limit: 1) { amount } }`;
    await assertRefused(query, {}, { limit: 'maxListLength', max: 1000, message: /^an argument has a list of 1001 values/ });
  });

  test('maxListLength: a variable default counts as the value', async () => {
    const query = `query($c: [String!] = ${JSON.stringify(values(1001))}) { transactions(where: { channel: { in: $c } }, limit: 1) { amount } }`;
    await assertRefused(query, {}, { limit: 'maxListLength', max: 1000, message: /^variable \$c has a list of 1001 values/ });
  });

  test('maxCost: nested relations multiply their rows', async () => {
    await assertRefused('{ customers(limit: 1000) { transactions(limit: 1000) { amount } } }', {}, {
      limit: 'maxCost', max: 1000, message: /^the operation's estimated cost is 10030 \(2 engine queries × 10 \+ 1001000 rows \/ 100\)/,
    });
  });

  test('maxCost: a limit given through a variable counts', async () => {
    const query = 'query($n: Int) { customers(limit: $n) { transactions(limit: $n) { amount } } }';
    await assertRefused(query, { n: 500 }, { limit: 'maxCost', max: 1000, message: /estimated cost is 2525/ });
    await assertAccepted(query, { n: 50 });
  });

  test('the same document is judged again for other variables, and again the same way for the same ones (the verdicts are remembered per variable set)', async () => {
    const query = 'query($n: Int) { customers(limit: $n) { name } }';
    assert.equal((await assertAccepted(query, { n: 20 })).rows, 20);
    assert.equal((await assertAccepted(query, { n: 30 })).rows, 30);
    await assertRefused('query($n: Int) { customers(limit: 10) { transactions(limit: $n) { amount } } }', { n: 10_000 }, { limit: 'maxCost', max: 1000, message: /estimated cost/ });
    assert.equal((await assertAccepted('query($n: Int) { customers(limit: 10) { transactions(limit: $n) { amount } } }', { n: 5 })).rows, 60);
    await assertRefused('query($n: Int) { customers(limit: 10) { transactions(limit: $n) { amount } } }', { n: 10_000 }, { limit: 'maxCost', max: 1000, message: /estimated cost/ });
    assert.equal((await assertAccepted(query, { n: 20 })).rows, 20);
  });

  test('maxCost: relations under relations with default limits', async () => {
    await assertRefused(`{ customers { transactions { customer { transactions { amount } } } } }`, {}, { limit: 'maxCost', max: 1000, message: /estimated cost/ });
  });
});

describe('documents people send are accepted, with their cost', () => {
  test("the README's examples", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => !block.includes('queryStatus') && !/^\s*subscription\b/m.test(block));
    assert.ok(blocks.length >= 6, `found ${blocks.length} examples`);
    for (const block of blocks) await assertAccepted(block, {}, 'engineer');
  });

  test('the client operations of examples/ with their variables', async () => {
    const documents = readdirSync(path.join(ROOT, 'examples')).filter((file) => file.endsWith('.graphql'))
      .map((file) => readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
    const variables: Record<string, Record<string, unknown>> = {
      TopTransactions: {}, DailyRevenueByChannel: { from: '2024-03-01' }, MonthlyRevenue: { from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' }, Discovery: {}, TransactionsPage: {},
    };
    let sent = 0;
    for (const document of documents) {
      for (const [, name] of document.matchAll(/query (\w+)/g)) {
        const response = await request(app.lakegate.app).post('/graphql').set('Authorization', `Bearer ${app.token('analyst')}`)
          .send({ query: document, variables: variables[name!], operationName: name });
        assert.equal(response.status, 200, `${name}: ${JSON.stringify(response.body).slice(0, 300)}`);
        assert.equal(response.body.errors, undefined, `${name}: ${JSON.stringify(response.body.errors)}`);
        assert.ok(response.body.extensions.lakegate.cost.estimated <= 1000);
        sent += 1;
      }
    }
    assert.equal(sent, 5);
  });

  test("GraphiQL's introspection query (as GraphiQL 3 asks it) costs nothing", async () => {
    for (const query of [getIntrospectionQuery(), getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true })]) {
      const cost = await assertAccepted(query);
      assert.deepEqual(cost, { engineQueries: 0, rows: 0, estimated: 0, max: 1000 });
    }
  });

  test('the cost names what was estimated: two levels of one query each, their rows', async () => {
    const cost = await assertAccepted('{ transactions(limit: 50) { amount customer { name } } }');
    assert.deepEqual(cost, { engineQueries: 2, rows: 100, estimated: 21, max: 1000 });
  });

  test('a KPI without `to` costs its extra latest-data query', async () => {
    const withTo = await assertAccepted('{ kpis { orders(from: "2024-03-01", to: "2024-03-04", grain: DAY) { time value } } }');
    const latest = await assertAccepted('{ kpis { orders(grain: DAY) { time value } } }');
    assert.deepEqual([withTo.engineQueries, latest.engineQueries], [1, 2]);
  });

  test('a limit above maxLimit is left to its own, clearer refusal', async () => {
    const response = await app.graphql('{ transactions(limit: 10001) { amount } }', {}, 'analyst');
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'LIMIT_EXCEEDED');
    assert.match(response.body.errors[0].message, /limit 10001 is above the maximum of 10000 rows/);
  });

  test('a request refused before parsing is logged like any other, with its code', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const logged = await startTestApp({ lake: app.lake, logger: pino({ level: 'info' }, sink) });
    try {
      const response = await logged.graphql(`{ ${'__typename '.repeat(5000)}}`, {}, 'analyst');
      assert.equal(response.status, 400);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const line = lines.find((entry) => entry['msg'] === 'graphql request');
      assert.deepEqual([line?.['subject'], line?.['engineQueries'], line?.['errors']], ['dev-analyst', 0, ['LIMIT_EXCEEDED']]);
      assert.ok(!lines.some((entry) => entry['level'] === 50), 'a refusal is not an unexpected error');
    } finally {
      await logged.close();
    }
  });
});
