import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { countingQueries, withResultCache } from '../support/cached-app';

/**
 * The result cache through the whole API on one replica (memory tier): what the response
 * extensions say, one engine query for many identical requests, and that a permission change
 * can never serve a caller rows cached under its old view.
 */
const HOUR = 3_600_000;
const CUSTOMERS = '{ customers(limit: 5, orderBy: [{ customerId: ASC }]) { customerId name country } }';

interface QueryRecord {
  queryId: string;
  cache: string;
  ageMs?: number;
}

const records = (body: { extensions: { lakegate: { queries: QueryRecord[] } } }): QueryRecord[] => body.extensions.lakegate.queries;

let app: TestApp;
let counting: ReturnType<typeof countingQueries>;

before(async () => {
  counting = countingQueries(300);
  app = await startTestApp({ rows: 300, decorateEngine: counting.decorate, configure: withResultCache({ datasets: ['customers'], ttlMs: HOUR }) });
});
after(() => app.close());

describe('response extensions', () => {
  test('queries[] says miss (age 0), then hit with the same engine query and its age; an uncached dataset says none', async () => {
    const query = '{ customers(limit: 3, orderBy: [{ name: ASC }]) { name } }';
    const first = await app.graphql(query, {}, 'analyst');
    const second = await app.graphql(query, {}, 'analyst');
    assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
    const [miss] = records(first.body);
    const [hit] = records(second.body);
    assert.equal(miss!.cache, 'miss');
    assert.equal(miss!.ageMs, 0);
    assert.equal(hit!.cache, 'hit');
    assert.equal(hit!.queryId, miss!.queryId, 'a hit names the engine query that produced its rows');
    assert.ok(typeof hit!.ageMs === 'number' && hit!.ageMs >= 0);
    assert.deepEqual(second.body.data, first.body.data);

    const uncached = await app.graphql('{ transactions(limit: 1) { amount } }', {}, 'analyst');
    const [none] = records(uncached.body);
    assert.equal(none!.cache, 'none');
    assert.equal('ageMs' in none!, false);
  });

  test('/readyz reports the cache tier', async () => {
    const ready = await request(app.lakegate.app).get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.cache, 'memory');
  });
});

describe('single flight', () => {
  test('50 identical concurrent cold requests run one engine query: one miss, the others shared (or hit)', async () => {
    const url = await app.lakegate.listen(0, '127.0.0.1');
    const before = counting.queriesOn('customers');
    const ask = async (): Promise<{ data: unknown; extensions: { lakegate: { queries: QueryRecord[] } } }> => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token('analyst')}` },
        body: JSON.stringify({ query: CUSTOMERS }),
      });
      assert.equal(response.status, 200);
      return response.json() as Promise<{ data: unknown; extensions: { lakegate: { queries: QueryRecord[] } } }>;
    };
    const bodies = await Promise.all(Array.from({ length: 50 }, ask));
    assert.equal(counting.queriesOn('customers') - before, 1, 'one engine query');
    const outcomes = bodies.map((body) => records(body)[0]!.cache);
    assert.equal(outcomes.filter((outcome) => outcome === 'miss').length, 1, outcomes.join(' '));
    assert.ok(outcomes.every((outcome) => ['miss', 'shared', 'hit'].includes(outcome)), outcomes.join(' '));
    assert.ok(outcomes.includes('shared'), 'requests arriving while the query ran waited for it');
    assert.equal(new Set(bodies.map((body) => records(body)[0]!.queryId)).size, 1);
    assert.ok(bodies.every((body) => JSON.stringify(body.data) === JSON.stringify(bodies[0]!.data)));
    await new Promise<void>((resolve) => app.lakegate.httpServer.close(() => resolve()));
  });
});

describe('permissions', () => {
  const JP_QUERY = '{ customers(limit: 10000, orderBy: [{ customerId: ASC }]) { customerId country segment } }';
  const filtersFile = (): string => path.join(app.lake.dir, 'lakeformation', 'list-data-cells-filter.json');
  const permissionsFile = (): string => path.join(app.lake.dir, 'lakeformation', 'list-permissions.json');

  function rewrite<T>(file: string, change: (document: T) => T): void {
    writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as T), null, 4));
  }

  interface Filters { DataCellsFilters: { Name: string; RowFilter: { FilterExpression?: string } }[] }
  interface Permissions { PrincipalResourcePermissions: { Principal: { DataLakePrincipalIdentifier: string } }[] }

  test('a narrowed or revoked grant is never answered from rows cached under the old view', async () => {
    const raw = await app.lake.rawRows('customers');
    const japanese = raw.filter((row) => row['country'] === 'JP');
    const cached = await app.graphql(JP_QUERY, {}, 'japan_sales');
    assert.equal(cached.body.data.customers.length, japanese.length);
    assert.equal(records((await app.graphql(JP_QUERY, {}, 'japan_sales')).body)[0]!.cache, 'hit', 'the rows are cached (for an hour)');

    // A narrower row filter with the same literals: only the SQL text tells the two views apart.
    rewrite<Filters>(filtersFile(), (document) => ({
      DataCellsFilters: document.DataCellsFilters.map((filter) =>
        filter.Name === 'jp_customers' ? { ...filter, RowFilter: { FilterExpression: "country = 'JP' AND segment IS NOT NULL" } } : filter),
    }));
    assert.deepEqual(await app.lakegate.reloadPermissions(), []);
    const narrowed = await app.graphql(JP_QUERY, {}, 'japan_sales');
    assert.equal(narrowed.body.errors, undefined, JSON.stringify(narrowed.body.errors));
    const withSegment = japanese.filter((row) => row['segment'] !== null);
    assert.ok(withSegment.length > 0 && withSegment.length < japanese.length, 'the sample has a Japanese customer without a segment, so the narrowing changes the answer');
    assert.deepEqual(narrowed.body.data.customers.map((row: { customerId: string }) => Number(row.customerId)), withSegment.map((row) => Number(row['customer_id'])).sort((a, b) => a - b));
    assert.equal(records(narrowed.body)[0]!.cache, 'miss', 'the new view is a new entry');

    rewrite<Permissions>(permissionsFile(), (document) => ({
      PrincipalResourcePermissions: document.PrincipalResourcePermissions.filter((grant) => !grant.Principal.DataLakePrincipalIdentifier.endsWith(':role/JapanSales')),
    }));
    assert.deepEqual(await app.lakegate.reloadPermissions(), []);
    const revoked = await app.graphql(JP_QUERY, {}, 'japan_sales');
    assert.equal(revoked.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'no grant, no customers field');
    assert.equal(revoked.body.data, undefined);
  });
});
