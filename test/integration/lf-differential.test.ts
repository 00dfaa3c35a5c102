import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import request from 'supertest';
import { signDevToken } from '../../src/auth/dev-token';
import { formatIssue, loadConfig } from '../../src/config/load';
import { createLakegate, type Lakegate } from '../../src/server/app';
import { callerQueryArbitrary, setupArbitrary } from '../support/lf-arbitraries';
import { exportFiles, dataCellsFiltersDocument, permissionsDocument, resourceTagsDocument } from '../support/lf-exports';
import { normalizeAggregateRow, normalizeRow, renderQuery, sortedMultiset } from '../support/lf-graphql';
import { createLfLake, type LfLake } from '../support/lf-lake';
import { CALLER_PRINCIPALS, type CallerQuery, type Col, type Setup } from '../support/lf-model';
import { columnsNamed, expectedAggregate, expectedRowRuns, maskRows, resolveCallerAccess, type Access } from '../support/lf-reference';

/**
 * Property-based differential test of Lake Formation enforcement through the whole API: random
 * exports (permissions, data cells filters, LF-Tags) for a caller holding role/A and role/B, then
 * one random query; the answer must equal what a plain reading of LAKE_FORMATION.md gives on the
 * raw rows (test/support/lf-reference.ts).
 *
 * Replay a failure with LAKEGATE_SEED=<seed> (and LAKEGATE_PATH=<path> to skip the search).
 */
const SECRET = 'lf-differential-secret-0123456789-abcdef';
const LAKE_SEED = 20240501;
const ROW_COUNT = 40;
const NUM_RUNS = Math.max(2000, Number(process.env['LAKEGATE_RUNS'] ?? 2000));
/** fast-check keeps 32 bits of the seed (`seed | 0`); normalised here so every message shows the one it reports. */
const SEED = Number(process.env['LAKEGATE_SEED'] ?? Date.now()) | 0;
const PATH = process.env['LAKEGATE_PATH'];

let lake: LfLake;
let lakegate: Lakegate;
let token: string;

before(async () => {
  lake = await createLfLake(ROW_COUNT, LAKE_SEED);
  const loaded = loadConfig(lake.configFile);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  lakegate = await createLakegate({ loaded: loaded.value, logger: pino({ level: 'silent' }), env: { LAKEGATE_JWT_SECRET: SECRET } });
  token = signDevToken(loaded.value.config.auth, SECRET, 'tester');
});

after(async () => {
  await lakegate?.stop();
  lake?.remove();
});

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function ask(query: string): Promise<{ status: number; body: GraphQLBody }> {
  const response = await request(lakegate.app).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query });
  return { status: response.status, body: response.body as GraphQLBody };
}

/** Everything needed to read a failure without re-running it. */
function describeCase(setup: Setup, query: string, access: Access): string {
  return [
    `seed=${SEED} (replay: LAKEGATE_SEED=${SEED})`,
    `query: ${query}`,
    `reference: listed=${access.listed} columns=[${access.columns.join(', ')}]`,
    `list-permissions: ${JSON.stringify(permissionsDocument(setup))}`,
    `list-data-cells-filter: ${JSON.stringify(dataCellsFiltersDocument(setup))}`,
    `get-resource-lf-tags: ${JSON.stringify(resourceTagsDocument(setup))}`,
  ].join('\n');
}

async function checkCatalog(access: Access, context: string): Promise<void> {
  const { status, body } = await ask('{ catalog { datasets { name readable columns { name } } } }');
  assert.equal(status, 200, `catalog request failed: ${JSON.stringify(body)}\n${context}`);
  const datasets = (body.data?.['catalog'] as { datasets: { name: string; readable: boolean; columns: { name: string }[] }[] }).datasets;
  const actual = datasets.map((dataset) => ({ name: dataset.name, readable: dataset.readable, columns: dataset.columns.map((col) => col.name).sort() }));
  const expected = access.columns.length > 0
    ? [{ name: 'items', readable: true, columns: [...access.columns].sort() }]
    : access.listed ? [{ name: 'items', readable: false, columns: [] }] : [];
  assert.deepEqual(actual, expected, `catalog listing differs\n${context}`);
}

function expectValidationFailure(status: number, body: GraphQLBody, context: string): void {
  assert.equal(body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', `expected GRAPHQL_VALIDATION_FAILED, got ${status} ${JSON.stringify(body)}\n${context}`);
  assert.ok(body.data === undefined || body.data === null, `a failed validation must return no data\n${context}`);
}

function checkRows(data: Record<string, unknown>, runs: readonly Record<string, unknown>[][], context: string): void {
  const actual = (data['items'] as Record<string, unknown>[]).map(normalizeRow);
  const total = runs.reduce((sum, run) => sum + run.length, 0);
  assert.equal(actual.length, total, `row count differs: got ${JSON.stringify(actual)}, expected ${JSON.stringify(runs)}\n${context}`);
  // Rows the order cannot tell apart may come in any order; everything else position by position.
  let offset = 0;
  runs.forEach((run, index) => {
    const slice = actual.slice(offset, offset + run.length);
    assert.deepEqual(sortedMultiset(slice), sortedMultiset(run), `rows differ at run ${index} (positions ${offset}..${offset + run.length - 1}):\n got ${JSON.stringify(actual)}\n expected ${JSON.stringify(runs)}\n${context}`);
    offset += run.length;
  });
}

/** How the cases spread, printed at the end so a weak generator shows. */
const tally = new Map<string, number>();
function count(label: string): void {
  tally.set(label, (tally.get(label) ?? 0) + 1);
}

async function checkCase(setup: Setup, query: CallerQuery, rows: typeof lake.rows): Promise<void> {
  const access = resolveCallerAccess(setup, CALLER_PRINCIPALS);
  const text = renderQuery(query);
  const context = describeCase(setup, text, access);

  lake.writeExports(exportFiles(setup));
  const issues = await lakegate.reloadPermissions();
  assert.deepEqual(issues.map((issue) => `${issue.path}: ${issue.message}`), [], `generated exports were refused\n${context}`);

  await checkCatalog(access, context);

  const { status, body } = await ask(text);
  const hidden = [...columnsNamed(query)].filter((col: Col) => !access.columns.includes(col));
  if (access.columns.length === 0 || hidden.length > 0) {
    count(access.columns.length > 0 ? 'hidden field named' : access.listed ? 'listed, not readable' : 'absent');
    expectValidationFailure(status, body, context);
    return;
  }
  assert.equal(body.errors, undefined, `unexpected errors: ${JSON.stringify(body.errors)}\n${context}`);
  assert.equal(status, 200, context);
  const masked = maskRows(rows, access);
  count(`${query.kind} query`);
  if (masked.length < rows.length) count('some rows filtered out by grants');
  if (masked.length === 0) count('no visible rows');
  if (masked.some((row) => access.columns.some((col) => row[col] === null && rows.find((raw) => raw.id === row.id)?.[col] !== null))) count('some cells masked');
  if (access.grants.some((grant) => grant.rows !== null)) count('row-filtered grant');
  if (query.kind === 'rows') {
    const runs = expectedRowRuns(masked, query, access.columns);
    if (runs.reduce((sum, run) => sum + run.length, 0) === 0) count('empty answer');
    if (runs.some((run) => run.length > 1)) count('ties in order');
    checkRows(body.data!, runs, context);
  } else {
    const actual = (body.data!['itemsAggregate'] as Record<string, unknown>[]).map(normalizeAggregateRow);
    const expected = expectedAggregate(masked, query);
    assert.deepEqual(sortedMultiset(actual), sortedMultiset(expected), `aggregate differs:\n got ${JSON.stringify(actual)}\n expected ${JSON.stringify(expected)}\n${context}`);
  }
}

test('Lake Formation enforcement through the API equals the reference reading of LAKE_FORMATION.md', { timeout: 30 * 60_000 }, async (t) => {
  const rows = lake.rows;
  const scenario = setupArbitrary(rows).chain((setup) => {
    const visible = resolveCallerAccess(setup, CALLER_PRINCIPALS).columns;
    return callerQueryArbitrary(visible, rows).map((query) => ({ setup, query }));
  });
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(scenario, async ({ setup, query }) => checkCase(setup, query, rows)),
    { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true, ...(PATH ? { path: PATH } : {}) },
  );
  t.diagnostic(`${NUM_RUNS} cases in ${((Date.now() - started) / 1000).toFixed(1)}s (seed ${SEED})`);
  for (const [label, n] of [...tally.entries()].sort()) t.diagnostic(`  ${label}: ${n}`);
});
