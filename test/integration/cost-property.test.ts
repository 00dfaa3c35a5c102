import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../support/app';
import { EngineQueryCount } from '../support/query-count';

/**
 * The cost model is an upper bound: for random documents over the sample lake (datasets,
 * relations nested under aliases, aggregates, KPIs with and without `to`, limits as literals and
 * variables), the engine queries the estimate counts are never fewer than the engine queries the
 * request actually runs, nor its rows fewer than the rows they return. The result cache is off,
 * so every query the server plans reaches the (counting) engine.
 */

let app: TestApp;
const engineQueries = new EngineQueryCount();
before(async () => {
  app = await startTestApp({
    decorateEngine: engineQueries.decorate,
    configure: (loaded) => ({ ...loaded, config: { ...loaded.config, cache: { ...loaded.config.cache, enabled: false } } }),
  });
});
after(() => app.close());

type DatasetName = 'customers' | 'transactions' | 'events';

/** Relations of the sample lake: field, target, to-many. */
const RELATIONS: Record<DatasetName, readonly (readonly [string, DatasetName, boolean])[]> = {
  customers: [['transactions', 'transactions', true]],
  transactions: [['customer', 'customers', false]],
  events: [['user', 'customers', false]],
};
const COLUMNS: Record<DatasetName, readonly string[]> = {
  customers: ['customerId', 'name', 'country'],
  transactions: ['transactionId', 'amount', 'channel'],
  events: ['eventId', 'page'],
};

/** A root field: its text, and the variables it declares with their values. */
interface Root {
  readonly text: string;
  readonly variables: Readonly<Record<string, number>>;
}

/** No limit, a literal one, or one through the variable `$name`. */
const limitArg = (name: string): fc.Arbitrary<Root> => fc.oneof(
  fc.constant({ text: '', variables: {} }),
  fc.integer({ min: 0, max: 20 }).map((limit) => ({ text: `limit: ${limit}`, variables: {} })),
  fc.integer({ min: 0, max: 20 }).map((limit) => ({ text: `limit: $${name}`, variables: { [name]: limit } })),
);

const argumentList = (...args: string[]): string => {
  const given = args.filter(Boolean);
  return given.length > 0 ? `(${given.join(', ')})` : '';
};

function selection(dataset: DatasetName, depth: number, prefix: string): fc.Arbitrary<Root> {
  const relations = depth === 0 ? fc.constant([]) : fc.subarray([...RELATIONS[dataset]]);
  return fc.tuple(fc.subarray([...COLUMNS[dataset]], { minLength: 1 }), relations).chain(([columns, chosen]) =>
    fc.tuple(...chosen.map(([field, target, many], index) => relationField(field, target, many, depth - 1, `${prefix}r${index}`))).map((fields) => ({
      text: [...columns, ...fields.map((field) => field.text)].join(' '),
      variables: Object.assign({}, ...fields.map((field) => field.variables)) as Record<string, number>,
    })));
}

function relationField(field: string, target: DatasetName, many: boolean, depth: number, name: string): fc.Arbitrary<Root> {
  return fc.tuple(fc.boolean(), many ? limitArg(name) : fc.constant({ text: '', variables: {} }), selection(target, depth, name)).map(([aliased, limit, inner]) => ({
    text: `${aliased ? `${name}: ` : ''}${field}${argumentList(limit.text)} { ${inner.text} }`,
    variables: { ...limit.variables, ...inner.variables },
  }));
}

function datasetRoot(name: string): fc.Arbitrary<Root> {
  return fc.tuple(fc.constantFrom<DatasetName>('customers', 'transactions', 'events'), limitArg(name), fc.integer({ min: 0, max: 3 }))
    .chain(([dataset, limit, depth]) => selection(dataset, depth, name).map((inner) => ({
      text: `${name}: ${dataset}${argumentList(limit.text)} { ${inner.text} }`,
      variables: { ...limit.variables, ...inner.variables },
    })));
}

function aggregateRoot(name: string): fc.Arbitrary<Root> {
  return fc.tuple(fc.constantFrom(['transactionsAggregate', 'groupBy: [CHANNEL]'], ['customersAggregate', 'groupBy: [COUNTRY]'], ['eventsAggregate', '']), limitArg(name))
    .map(([[field, groupBy], limit]) => ({ text: `${name}: ${field}${argumentList(groupBy, limit.text)} { count }`, variables: limit.variables }));
}

function kpiRoot(name: string): fc.Arbitrary<Root> {
  return fc.tuple(fc.constantFrom('orders', 'activeCustomers', 'pageViews'), fc.boolean(), fc.constantFrom('', ', grain: DAY'))
    .map(([kpi, bounded, grain]) => ({
      text: `${name}: kpis { ${kpi}(from: "2024-03-01"${bounded ? ', to: "2024-03-06"' : ''}${grain}) { value } }`,
      variables: {},
    }));
}

const document = fc.array(fc.constantFrom('dataset', 'dataset', 'aggregate', 'kpi', 'catalog'), { minLength: 1, maxLength: 3 })
  .chain((kinds) => fc.tuple(...kinds.map((kind, index) => {
    const name = `q${index}`;
    if (kind === 'dataset') return datasetRoot(name);
    if (kind === 'aggregate') return aggregateRoot(name);
    if (kind === 'kpi') return kpiRoot(name);
    return fc.constant({ text: `${name}: catalog { datasets { name } }`, variables: {} });
  })))
  .map((roots) => {
    const variables: Record<string, number> = Object.assign({}, ...roots.map((root) => root.variables));
    const declared = Object.keys(variables).map((name) => `$${name}: Int`).join(', ');
    return { query: `query Random${declared ? `(${declared})` : ''} { ${roots.map((root) => root.text).join(' ')} }`, variables };
  });

test('the estimated engine queries and rows are never below what a request actually runs and returns', async () => {
  await fc.assert(
    fc.asyncProperty(document, async ({ query, variables }) => {
      const before = engineQueries.count;
      const response = await app.graphql(query, variables, 'engineer');
      assert.equal(response.status, 200, `${query}\n${JSON.stringify(response.body).slice(0, 400)}`);
      assert.equal(response.body.errors, undefined, `${query}\n${JSON.stringify(response.body.errors)}`);
      const ran = engineQueries.count - before;
      const { cost, queries } = response.body.extensions.lakegate as { cost: { engineQueries: number; rows: number }; queries: { rows: number }[] };
      assert.equal(queries.length, ran, 'every engine query is reported');
      assert.ok(cost.engineQueries >= ran, `estimated ${cost.engineQueries} engine queries, ran ${ran}: ${query}`);
      const rows = queries.reduce((sum, entry) => sum + entry.rows, 0);
      assert.ok(cost.rows >= rows, `estimated ${cost.rows} rows, returned ${rows}: ${query}`);
    }),
    { numRuns: 60 },
  );
});
