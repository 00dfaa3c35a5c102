import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getOperationAST, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse,
  type GraphQLFieldConfigMap,
} from 'graphql';
import { checkCost, estimateCost } from '../../src/server/limits/cost';
import { scanDocument } from '../../src/server/limits/document-scan';
import { fragmentsOf } from '../../src/server/limits/fragments';
import { operationVariables } from '../../src/server/limits/operation-values';

const LIMITS = {
  defaultLimit: 100, maxLimit: 10_000, maxDepth: 10, maxAliases: 30, maxRootFields: 20, maxTokens: 5000,
  maxDirectives: 20, maxFilterDepth: 8, maxListLength: 1000, maxCost: 1000,
};

describe('scanDocument (before parsing)', () => {
  test('counts tokens as the parser does (comments are not tokens), up to maxTokens', () => {
    const limits = { ...LIMITS, maxTokens: 100 };
    const fields = (count: number): string => `{ ${'a '.repeat(count)}}`;
    assert.equal(scanDocument(fields(98), limits), null, '100 tokens');
    assert.equal(scanDocument(`# ${'comment '.repeat(500)}\n${fields(98)}`, limits), null);
    assert.deepEqual(scanDocument(fields(99), limits), { limit: 'maxTokens', max: 100, message: 'document has more than 100 tokens; limits.maxTokens is 100' });
  });

  test('selection braces may nest up to maxDepth + 16, argument brackets up to 2 × maxFilterDepth + 16', () => {
    const selections = (depth: number): string => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;
    assert.equal(scanDocument(selections(26), LIMITS), null);
    assert.equal(scanDocument(selections(27), LIMITS)?.limit, 'maxDepth');
    const argument = (depth: number): string => `{ a(b: ${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}) }`;
    assert.equal(scanDocument(argument(32), LIMITS), null);
    assert.equal(scanDocument(argument(33), LIMITS)?.message, 'an argument nests brackets 33 deep; limits.maxFilterDepth is 8');
    assert.equal(scanDocument('query($a: [[[Int]]] = [[[1]]]) { a }', LIMITS), null);
  });

  test('a lexical error is left to the parser (GRAPHQL_PARSE_FAILED)', () => {
    assert.equal(scanDocument('{ a(b: "unterminated) }', LIMITS), null);
  });
});

/** The shape of the sample lake's schema, with the field kinds the generated schema carries. */
function sampleSchema(): GraphQLSchema {
  const limit = { limit: { type: GraphQLInt } };
  const transaction: GraphQLObjectType = new GraphQLObjectType({
    name: 'Transaction',
    fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
      amount: { type: GraphQLString },
      customer: { type: customer, extensions: { lakegate: { kind: 'relation', many: false } } },
    }),
  });
  const customer: GraphQLObjectType = new GraphQLObjectType({
    name: 'Customer',
    fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
      name: { type: GraphQLString },
      segment: { type: GraphQLString },
      transactions: { type: new GraphQLList(transaction), args: limit, extensions: { lakegate: { kind: 'relation', many: true } } },
    }),
  });
  const aggregate = new GraphQLObjectType({ name: 'TransactionAggregate', fields: { count: { type: GraphQLString } } });
  const point = new GraphQLObjectType({ name: 'RevenuePoint', fields: { value: { type: GraphQLString } } });
  const kpis = new GraphQLObjectType({
    name: 'Kpis',
    fields: { revenue: { type: new GraphQLList(point), args: { to: { type: GraphQLString } }, extensions: { lakegate: { kind: 'kpi' } } } },
  });
  const query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      customers: { type: new GraphQLList(customer), args: limit, extensions: { lakegate: { kind: 'rows' } } },
      transactions: { type: new GraphQLList(transaction), args: limit, extensions: { lakegate: { kind: 'rows' } } },
      transactionsAggregate: { type: new GraphQLNonNull(new GraphQLList(aggregate)), args: limit, extensions: { lakegate: { kind: 'aggregate' } } },
      kpis: { type: kpis },
    },
  });
  return new GraphQLSchema({ query });
}

function cost(source: string, sent: Record<string, unknown> = {}): { engineQueries: number; rows: number; estimated: number } {
  const document = parse(source);
  const operation = getOperationAST(document)!;
  return estimateCost(sampleSchema(), operation, fragmentsOf(document), operationVariables(operation, sent), LIMITS);
}

describe('estimateCost: the README\'s worked examples', () => {
  test('a read with a to-one relation: 2 queries, 50 + 50 rows → 21', () => {
    assert.deepEqual(cost('{ transactions(limit: 50) { amount customer { name } } }'), { engineQueries: 2, rows: 100, estimated: 21 });
  });

  test('two relation levels under 20 customers, 3 transactions each: 3 queries, 20 + 60 + 60 rows → 32', () => {
    assert.deepEqual(
      cost('{ customers(limit: 20) { name transactions(limit: 3) { amount customer { segment } } } }'),
      { engineQueries: 3, rows: 140, estimated: 32 },
    );
  });

  test('an aggregate without a limit: defaultLimit rows → 11; a full page of 10,000 rows → 110', () => {
    assert.deepEqual(cost('{ transactionsAggregate { count } }'), { engineQueries: 1, rows: 100, estimated: 11 });
    assert.deepEqual(cost('{ transactions(limit: 10000) { amount } }'), { engineQueries: 1, rows: 10_000, estimated: 110 });
  });

  test('a KPI: one query and up to maxLimit points → 110; without `to` the latest-data query too → 120', () => {
    assert.deepEqual(cost('{ kpis { revenue(to: "2024-04-01") { value } } }'), { engineQueries: 1, rows: 10_000, estimated: 110 });
    assert.deepEqual(cost('{ kpis { revenue { value } } }'), { engineQueries: 2, rows: 10_000, estimated: 120 });
    assert.deepEqual(cost('query($to: String) { kpis { revenue(to: $to) { value } } }', { to: '2024-04-01' }).engineQueries, 1);
  });

  test('200 aggregates: 2,000 + 200 → 2,200, over maxCost', () => {
    const document = `{ ${Array.from({ length: 200 }, (_, index) => `a${index}: transactionsAggregate { count }`).join(' ')} }`;
    const estimate = cost(document);
    assert.deepEqual(estimate, { engineQueries: 200, rows: 20_000, estimated: 2200 });
    assert.equal(checkCost(estimate, LIMITS)?.message, "the operation's estimated cost is 2200 (200 engine queries × 10 + 20000 rows / 100); limits.maxCost is 1000");
  });

  test('relations nested with default limits multiply: 4 queries, 100 + 10,000 + 10,000 + 1,000,000 rows → 10,241', () => {
    assert.deepEqual(
      cost('{ customers { transactions { customer { transactions { amount } } } } }'),
      { engineQueries: 4, rows: 1_020_100, estimated: 10_241 },
    );
  });
});

describe('estimateCost: how a document is read', () => {
  test('limits through variables and their defaults; a limit above maxLimit counts as maxLimit (it is refused on its own)', () => {
    assert.equal(cost('query($n: Int) { transactions(limit: $n) { amount } }', { n: 7 }).rows, 7);
    assert.equal(cost('query($n: Int = 9) { transactions(limit: $n) { amount } }').rows, 9);
    assert.equal(cost('query($n: Int) { transactions(limit: $n) { amount } }', { n: null }).rows, 100);
    assert.equal(cost('{ transactions(limit: 1000000) { amount } }').rows, 10_000);
  });

  test('fields merged by response key run once; aliases run apart; skipped fields and introspection cost nothing', () => {
    assert.equal(cost('{ transactions(limit: 1) { amount } transactions(limit: 1) { customer { name } } }').engineQueries, 2);
    assert.equal(cost('{ a: transactions(limit: 1) { amount } b: transactions(limit: 1) { amount } }').engineQueries, 2);
    assert.equal(cost('query($off: Boolean!) { transactions @include(if: $off) { amount } __typename }', { off: false }).engineQueries, 0);
    assert.deepEqual(cost('{ __schema { types { name } } __type(name: "Query") { name } }'), { engineQueries: 0, rows: 0, estimated: 0 });
  });

  test('fragments are followed once per level', () => {
    const document = '{ ...Q ...Q } fragment Q on Query { customers(limit: 2) { ...C } } fragment C on Customer { transactions(limit: 5) { amount } }';
    assert.deepEqual(cost(document), { engineQueries: 2, rows: 12, estimated: 21 });
  });
});
