import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LakeFormationSnapshot } from '../../src/policy/lf-types';
import { applyPolicy } from '../../src/policy/rewrite';
import { LakegateError } from '../../src/query/errors';
import {
  ALL_COLUMNS, ANALYST, EU_GROUP, GUEST, OTHER, OTHER_ACCOUNT, cellsFilter, evaluate, grant, onAllTables, onColumns, onColumnsExcept,
  onFilter, onTable, onTagPolicy, openOrdersDb, ordersTags, snapshot, tag, type Cell, type OrdersDb,
} from '../support/lf-cases';

/**
 * Lake Formation, case by case, on the eight hand-written rows of shop.orders (see
 * test/support/lf-cases.ts): each case is a snapshot, the caller's principals and exactly what the
 * caller must see — whether the table is listed, its columns, and every row and cell (null where
 * masked), read from DuckDB through the policy view.
 */

type Expected =
  | { readonly access: 'none' }
  | { readonly access: 'describe' }
  | {
    readonly access: 'read';
    readonly columns: readonly string[];
    readonly rows: readonly (readonly Cell[])[];
    /** Columns the view masks per row; checked when given. */
    readonly masked?: readonly string[];
    /** True when the view filters no rows; checked when given. */
    readonly allRows?: boolean;
  };

interface LfCase {
  readonly name: string;
  readonly lf: LakeFormationSnapshot;
  readonly principals: readonly string[];
  readonly expect: Expected;
  /** Issues expandGrants must report (path, message pattern); none when absent. */
  readonly issues?: readonly { readonly path: string; readonly message: RegExp }[];
}

const c = (name: string, tier: string | null): Cell => ({ name, tier });

/** Every row and cell of shop.orders: [order_id, region, amount, status, customer, dt]. */
const EVERY_ROW: readonly (readonly Cell[])[] = [
  ['1', 'EU', '10.50', 'paid', c('ana', 'gold'), '2024-01-01'],
  ['2', 'US', '20.00', 'paid', c('ben', 'silver'), '2024-01-01'],
  ['3', 'EU', '30.25', 'refunded', c('cho', 'gold'), '2024-01-02'],
  ['4', 'APAC', '40.00', 'paid', c('dev', 'bronze'), '2024-01-02'],
  ['5', null, '50.00', 'pending', c('eli', 'gold'), '2024-01-03'],
  ['6', 'US', null, 'paid', c('fay', 'silver'), '2024-01-03'],
  ['7', 'EU', '70.00', 'pending', c('gus', null), '2024-01-04'],
  ['8', 'APAC', '80.75', 'paid', c('hal', 'gold'), '2024-01-04'],
];

const READ_ALL: Expected = { access: 'read', columns: ALL_COLUMNS, rows: EVERY_ROW, masked: [], allRows: true };

const CASES: readonly LfCase[] = [
  {
    name: 'a Table grant reads every row and column',
    lf: snapshot({ permissions: [grant(ANALYST, onTable())] }),
    principals: [ANALYST],
    expect: READ_ALL,
  },
  {
    name: 'TableWildcard reaches every table of the database',
    lf: snapshot({ permissions: [grant(ANALYST, onAllTables())] }),
    principals: [ANALYST],
    expect: READ_ALL,
  },
  {
    name: 'a grant to another principal gives no access: the table is not even listed',
    lf: snapshot({ permissions: [grant(OTHER, onTable())] }),
    principals: [ANALYST],
    expect: { access: 'none' },
  },
  {
    name: 'DESCRIBE only: listed, not readable',
    lf: snapshot({ permissions: [grant(ANALYST, onTable(), ['DESCRIBE'])] }),
    principals: [ANALYST],
    expect: { access: 'describe' },
  },
  {
    name: 'ALL counts as SELECT',
    lf: snapshot({ permissions: [grant(ANALYST, onTable(), ['ALL'])] }),
    principals: [ANALYST],
    expect: READ_ALL,
  },
  {
    name: 'TableWithColumns with ColumnNames: those columns, every row',
    lf: snapshot({ permissions: [grant(ANALYST, onColumns(['order_id', 'status']))] }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'status'],
      rows: [['1', 'paid'], ['2', 'paid'], ['3', 'refunded'], ['4', 'paid'], ['5', 'pending'], ['6', 'paid'], ['7', 'pending'], ['8', 'paid']],
      masked: [],
      allRows: true,
    },
  },
  {
    name: 'ColumnWildcard with ExcludedColumnNames: every column but the excluded ones',
    lf: snapshot({ permissions: [grant(ANALYST, onColumnsExcept(['amount', 'customer']))] }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'status', 'dt'],
      rows: [
        ['1', 'EU', 'paid', '2024-01-01'],
        ['2', 'US', 'paid', '2024-01-01'],
        ['3', 'EU', 'refunded', '2024-01-02'],
        ['4', 'APAC', 'paid', '2024-01-02'],
        ['5', null, 'pending', '2024-01-03'],
        ['6', 'US', 'paid', '2024-01-03'],
        ['7', 'EU', 'pending', '2024-01-04'],
        ['8', 'APAC', 'paid', '2024-01-04'],
      ],
      masked: [],
      allRows: true,
    },
  },
  {
    name: 'a data cells filter with a row filter: its rows and its columns',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('eu_orders', "region = 'EU'", ['order_id', 'region', 'amount'])],
      permissions: [grant(ANALYST, onFilter('eu_orders'))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'amount'],
      rows: [['1', 'EU', '10.50'], ['3', 'EU', '30.25'], ['7', 'EU', '70.00']],
      masked: [],
      allRows: false,
    },
  },
  {
    name: 'AllRowsWildcard with some columns: every row, those columns',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('ids_and_customers', '*', ['order_id', 'customer'])],
      permissions: [grant(ANALYST, onFilter('ids_and_customers'))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'customer'],
      rows: [
        ['1', c('ana', 'gold')], ['2', c('ben', 'silver')], ['3', c('cho', 'gold')], ['4', c('dev', 'bronze')],
        ['5', c('eli', 'gold')], ['6', c('fay', 'silver')], ['7', c('gus', null)], ['8', c('hal', 'gold')],
      ],
      masked: [],
      allRows: true,
    },
  },
  {
    name: "a row filter on a struct field (customer.tier = 'gold'); a null tier is not gold",
    lf: snapshot({
      dataCellsFilters: [cellsFilter('gold', "customer.tier = 'gold'", { except: [] })],
      permissions: [grant(ANALYST, onFilter('gold'))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ALL_COLUMNS,
      rows: [
        ['1', 'EU', '10.50', 'paid', c('ana', 'gold'), '2024-01-01'],
        ['3', 'EU', '30.25', 'refunded', c('cho', 'gold'), '2024-01-02'],
        ['5', null, '50.00', 'pending', c('eli', 'gold'), '2024-01-03'],
        ['8', 'APAC', '80.75', 'paid', c('hal', 'gold'), '2024-01-04'],
      ],
      masked: [],
      allRows: false,
    },
  },
  {
    name: "a row filter on a null column is unknown: region <> 'US' hides the row without a region",
    lf: snapshot({
      dataCellsFilters: [cellsFilter('not_us', "region <> 'US'", { except: ['customer'] })],
      permissions: [grant(ANALYST, onFilter('not_us'))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'amount', 'status', 'dt'],
      rows: [
        ['1', 'EU', '10.50', 'paid', '2024-01-01'],
        ['3', 'EU', '30.25', 'refunded', '2024-01-02'],
        ['4', 'APAC', '40.00', 'paid', '2024-01-02'],
        ['7', 'EU', '70.00', 'pending', '2024-01-04'],
        ['8', 'APAC', '80.75', 'paid', '2024-01-04'],
      ],
      masked: [],
      allRows: false,
    },
  },
  {
    name: "two filters on one table: union of rows, no duplicates, cells null where only the other filter's columns cover the row",
    lf: snapshot({
      dataCellsFilters: [
        cellsFilter('eu_amounts', "region = 'EU'", ['order_id', 'region', 'amount']),
        cellsFilter('paid_status', "status = 'paid'", ['order_id', 'status', 'dt']),
      ],
      permissions: [grant(ANALYST, onFilter('eu_amounts')), grant(ANALYST, onFilter('paid_status'))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'amount', 'status', 'dt'],
      rows: [
        ['1', 'EU', '10.50', 'paid', '2024-01-01'], // both filters
        ['2', null, null, 'paid', '2024-01-01'], // paid only
        ['3', 'EU', '30.25', null, null], // EU only
        ['4', null, null, 'paid', '2024-01-02'],
        // 5: neither (no region, pending)
        ['6', null, null, 'paid', '2024-01-03'],
        ['7', 'EU', '70.00', null, null],
        ['8', null, null, 'paid', '2024-01-04'],
      ],
      masked: ['region', 'amount', 'status', 'dt'],
      allRows: false,
    },
  },
  {
    name: 'a table grant plus a filter: all rows, nothing masked',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('eu_amounts', "region = 'EU'", ['order_id', 'amount'])],
      permissions: [grant(ANALYST, onFilter('eu_amounts')), grant(ANALYST, onTable())],
    }),
    principals: [ANALYST],
    expect: READ_ALL,
  },
  {
    name: 'IAM_ALLOWED_PRINCIPALS applies to every caller',
    lf: snapshot({ permissions: [grant('IAM_ALLOWED_PRINCIPALS', onTable(), ['ALL'])] }),
    principals: [GUEST],
    expect: READ_ALL,
  },
  {
    name: "several principals' grants unite (a role's columns, a group's filtered column)",
    lf: snapshot({
      dataCellsFilters: [cellsFilter('paid_amounts', "status = 'paid'", ['order_id', 'amount'])],
      permissions: [grant(ANALYST, onColumns(['order_id', 'region'])), grant(EU_GROUP, onFilter('paid_amounts')), grant(OTHER, onTable())],
    }),
    principals: [ANALYST, EU_GROUP],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'amount'],
      rows: [
        ['1', 'EU', '10.50'],
        ['2', 'US', '20.00'],
        ['3', 'EU', null], // refunded
        ['4', 'APAC', '40.00'],
        ['5', null, null], // pending
        ['6', 'US', null], // paid, amount null in the data
        ['7', 'EU', null], // pending
        ['8', 'APAC', '80.75'],
      ],
      masked: ['amount'],
      allRows: true,
    },
  },
  {
    name: 'an LF-Tag policy on TABLE matches the tags the table inherits from its database',
    lf: snapshot({
      tableTags: [ordersTags({ LFTagOnDatabase: [tag('domain', 'sales')] })],
      permissions: [grant(ANALYST, onTagPolicy([tag('domain', 'sales')]))],
    }),
    principals: [ANALYST],
    expect: READ_ALL,
  },
  {
    name: "a table-level tag overrides the database's value for the same key: the policy no longer matches",
    lf: snapshot({
      tableTags: [ordersTags({ LFTagOnDatabase: [tag('domain', 'sales')], LFTagsOnTable: [tag('domain', 'finance')] })],
      permissions: [grant(ANALYST, onTagPolicy([tag('domain', 'sales')]))],
    }),
    principals: [ANALYST],
    expect: { access: 'none' },
  },
  {
    name: 'a column-level tag override excludes that column',
    lf: snapshot({
      tableTags: [ordersTags({
        LFTagOnDatabase: [tag('domain', 'sales')],
        LFTagsOnColumns: [{ Name: 'amount', LFTags: [tag('domain', 'restricted')] }],
      })],
      permissions: [grant(ANALYST, onTagPolicy([tag('domain', 'sales')]))],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'status', 'customer', 'dt'],
      rows: [
        ['1', 'EU', 'paid', c('ana', 'gold'), '2024-01-01'],
        ['2', 'US', 'paid', c('ben', 'silver'), '2024-01-01'],
        ['3', 'EU', 'refunded', c('cho', 'gold'), '2024-01-02'],
        ['4', 'APAC', 'paid', c('dev', 'bronze'), '2024-01-02'],
        ['5', null, 'pending', c('eli', 'gold'), '2024-01-03'],
        ['6', 'US', 'paid', c('fay', 'silver'), '2024-01-03'],
        ['7', 'EU', 'pending', c('gus', null), '2024-01-04'],
        ['8', 'APAC', 'paid', c('hal', 'gold'), '2024-01-04'],
      ],
      masked: [],
      allRows: true,
    },
  },
  {
    name: 'a tag expression ANDs its keys and ORs the values of one key',
    lf: snapshot({
      tableTags: [ordersTags({
        LFTagOnDatabase: [tag('domain', 'sales')],
        LFTagsOnTable: [tag('confidentiality', 'internal')],
        LFTagsOnColumns: [{ Name: 'customer', LFTags: [tag('confidentiality', 'pii')] }],
      })],
      permissions: [
        // domain ∈ {marketing, sales} AND confidentiality ∈ {public, internal}: every column but customer.
        grant(ANALYST, onTagPolicy([tag('domain', 'marketing', 'sales'), tag('confidentiality', 'public', 'internal')])),
        // domain matches, but no column has a `region_scope` tag: matches nothing, so customer stays out.
        grant(ANALYST, onTagPolicy([tag('domain', 'sales'), tag('region_scope', 'eu')])),
      ],
    }),
    principals: [ANALYST],
    expect: {
      access: 'read',
      columns: ['order_id', 'region', 'amount', 'status', 'dt'],
      rows: [
        ['1', 'EU', '10.50', 'paid', '2024-01-01'],
        ['2', 'US', '20.00', 'paid', '2024-01-01'],
        ['3', 'EU', '30.25', 'refunded', '2024-01-02'],
        ['4', 'APAC', '40.00', 'paid', '2024-01-02'],
        ['5', null, '50.00', 'pending', '2024-01-03'],
        ['6', 'US', null, 'paid', '2024-01-03'],
        ['7', 'EU', '70.00', 'pending', '2024-01-04'],
        ['8', 'APAC', '80.75', 'paid', '2024-01-04'],
      ],
      masked: [],
      allRows: true,
    },
  },
  {
    name: 'a grant on a data cells filter that does not exist gives no access (fail closed)',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('eu_orders', "region = 'EU'", { except: [] })],
      permissions: [grant(ANALYST, onFilter('us_orders'))],
    }),
    principals: [ANALYST],
    expect: { access: 'none' },
  },
  {
    name: 'grants in a different CatalogId are ignored',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('eu_orders', "region = 'EU'", { except: [] }, OTHER_ACCOUNT)],
      permissions: [grant(ANALYST, onTable('orders', OTHER_ACCOUNT)), grant(ANALYST, onFilter('eu_orders', OTHER_ACCOUNT))],
    }),
    principals: [ANALYST],
    expect: { access: 'none' },
  },
  {
    name: 'a row filter outside the grammar is an issue naming the filter and the position; its grant reads nothing',
    lf: snapshot({
      dataCellsFilters: [cellsFilter('bad_fn', "region = 'EU' AND upper(status) = 'PAID'", { except: [] })],
      permissions: [grant(ANALYST, onFilter('bad_fn'))],
    }),
    principals: [ANALYST],
    issues: [{ path: 'DataCellsFilters[0].RowFilter.FilterExpression', message: /"bad_fn" on shop\.orders: functions are not allowed \(upper\) at position 18$/ }],
    expect: { access: 'none' },
  },
];

let db: OrdersDb;
before(async () => {
  db = await openOrdersDb();
});
after(() => db.close());

describe('Lake Formation cases on shop.orders', () => {
  for (const lfCase of CASES) {
    test(lfCase.name, async () => {
      const outcome = await evaluate(db.connection, lfCase.lf, lfCase.principals);
      assert.deepEqual(
        outcome.issues.map((issue) => issue.path),
        (lfCase.issues ?? []).map((issue) => issue.path),
        `issues: ${JSON.stringify(outcome.issues)}`,
      );
      (lfCase.issues ?? []).forEach((expected, index) => assert.match(outcome.issues[index]!.message, expected.message));

      const expected = lfCase.expect;
      assert.equal(outcome.access, expected.access);
      const listed = outcome.entitlement.catalog.datasets.map((dataset) => dataset.name);
      const describeOnly = outcome.entitlement.describeOnly.map((dataset) => dataset.name);
      if (expected.access !== 'read') {
        assert.deepEqual(listed, []);
        assert.deepEqual(describeOnly, expected.access === 'describe' ? ['orders'] : []);
        assert.deepEqual([...outcome.entitlement.views.keys()], []);
        // Reading anyway is refused, never run unfiltered.
        assert.throws(() => applyPolicy({ kind: 'rows', from: { kind: 'table', table: { database: 'shop', table: 'orders' } }, select: [], where: null, orderBy: [], limit: null, offset: 0, perKeyLimit: null }, outcome.view),
          (error: unknown) => error instanceof LakegateError && error.extensions.code === 'FORBIDDEN');
        return;
      }
      assert.deepEqual(listed, ['orders']);
      assert.deepEqual(describeOnly, []);
      assert.deepEqual(outcome.columns, expected.columns, 'the visible columns');
      assert.deepEqual(outcome.view!.columns, expected.columns, "the view's columns");
      assert.deepEqual(outcome.rows, expected.rows, `rows and cells (sql: ${outcome.sql})`);
      if (expected.masked) assert.deepEqual(outcome.view!.masks.map((mask) => mask.column), expected.masked, 'masked columns');
      if (expected.allRows !== undefined) assert.equal(outcome.view!.rowFilter === null, expected.allRows, 'row filter present');
    });
  }

  test('the same grants and filters in a different order give identical views and rows', async () => {
    const filters = [
      cellsFilter('eu_amounts', "region = 'EU'", ['order_id', 'region', 'amount']),
      cellsFilter('paid_status', "status = 'paid' OR amount > 75", ['order_id', 'status', 'dt']),
      cellsFilter('apac_customers', "region IN ('APAC') AND NOT status = 'refunded'", ['order_id', 'customer']),
    ];
    const permissions = [
      grant(ANALYST, onFilter('eu_amounts')),
      grant(EU_GROUP, onFilter('paid_status')),
      grant(ANALYST, onFilter('apac_customers')),
      grant(EU_GROUP, onFilter('eu_amounts')), // the same filter through a second principal
      grant(ANALYST, onTable(), ['DESCRIBE']),
      grant(OTHER, onTable()),
    ];
    const forward = await evaluate(db.connection, snapshot({ dataCellsFilters: filters, permissions }), [ANALYST, EU_GROUP]);
    const backward = await evaluate(db.connection, snapshot({ dataCellsFilters: [...filters].reverse(), permissions: [...permissions].reverse() }), [EU_GROUP, ANALYST]);
    assert.deepEqual(forward.issues, []);
    assert.deepEqual(backward.issues, []);
    assert.deepEqual(backward.entitlement.views, forward.entitlement.views);
    assert.deepEqual(backward.entitlement.sources, forward.entitlement.sources);
    assert.equal(backward.entitlement.key, forward.entitlement.key);
    assert.equal(backward.sql, forward.sql);
    assert.deepEqual(backward.rows, forward.rows);
    // And the rows are the union the three filters describe.
    assert.deepEqual(forward.columns, ['order_id', 'region', 'amount', 'status', 'customer', 'dt']);
    assert.deepEqual(forward.rows, [
      ['1', 'EU', '10.50', 'paid', null, '2024-01-01'],
      ['2', null, null, 'paid', null, '2024-01-01'],
      ['3', 'EU', '30.25', null, null, null],
      ['4', null, null, 'paid', c('dev', 'bronze'), '2024-01-02'],
      ['6', null, null, 'paid', null, '2024-01-03'],
      ['7', 'EU', '70.00', null, null, null],
      ['8', null, null, 'paid', c('hal', 'gold'), '2024-01-04'],
    ]);
  });
});
