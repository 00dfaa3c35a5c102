import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Issue } from '../../src/catalog/types';
import { loadLakeFormationFiles } from '../../src/policy/import-files';
import type { LakeFormationSnapshot } from '../../src/policy/lf-types';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-lf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';
const ANALYST = `arn:aws:iam::${ACCOUNT}:role/Analyst`;
const AUDITOR = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const EMEA = 'arn:aws:identitystore:::group/90676b3e2a-9b0f1c3d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const LAST = { LastUpdated: '2024-04-25T09:12:44.123000+00:00', LastUpdatedBy: `arn:aws:iam::${ACCOUNT}:role/LakeAdmin` };

function write(name: string, document: unknown): string {
  writeFileSync(path.join(dir, name), typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return name;
}

/** As `aws lakeformation list-permissions --catalog-id 111122223333` prints it. */
const permissions = {
  PrincipalResourcePermissions: [
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales' } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders' } }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: ['SELECT'], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'web', TableWildcard: {} } }, Permissions: ['ALL'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: EMEA }, Resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'hr', Name: 'employees', ColumnNames: ['employee_id', 'department'] } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: AUDITOR }, Resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'hr', Name: 'employees', ColumnWildcard: { ExcludedColumnNames: ['salary', 'ssn'] } } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: EMEA }, Resource: { DataCellsFilter: { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders' } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: ACCOUNT }, Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['sales', 'web'] }] } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'sensitivity', TagValues: ['public', 'internal'] }] } }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTag: { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['public'] } }, Permissions: ['ASSOCIATE', 'DESCRIBE'], PermissionsWithGrantOption: [], ...LAST },
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagExpression: { CatalogId: ACCOUNT, Name: 'sales_public' } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [], ...LAST },
  ],
};

/** `aws lakeformation list-data-cells-filter`. */
const dataCellsFilters = {
  DataCellsFilters: [
    { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders', RowFilter: { FilterExpression: "region = 'EMEA' AND amount < 10000" }, ColumnNames: ['order_id', 'region', 'amount'], VersionId: '1' },
    { TableCatalogId: ACCOUNT, DatabaseName: 'hr', TableName: 'employees', Name: 'no_pii', RowFilter: { AllRowsWildcard: {} }, ColumnWildcard: { ExcludedColumnNames: ['ssn'] }, VersionId: '3' },
  ],
};

const lfTags = {
  LFTags: [
    { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales', 'web', 'hr'] },
    { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['public', 'internal', 'pii'] },
  ],
};

const ordersTags = {
  LFTagOnDatabase: [{ CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] }],
  LFTagsOnTable: [{ CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales'] }, { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['internal'] }],
  LFTagsOnColumns: [
    { Name: 'order_id', LFTags: [{ CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['internal'] }] },
    { Name: 'card_number', LFTags: [{ CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['pii'] }] },
  ],
};

const files = {
  permissions: write('permissions.json', permissions),
  dataCellsFilters: write('filters.json', dataCellsFilters),
  lfTags: write('lf-tags.json', lfTags),
  resourceTags: [
    { table: 'sales.orders', file: write('tags-sales-orders.json', ordersTags) },
    { table: 'web.sessions', file: write('tags-web-sessions.json', { LFTagOnDatabase: [{ CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['web'] }], LFTagsOnTable: [], LFTagsOnColumns: [] }) },
  ],
};

test('lake formation files: every resource kind maps onto the snapshot, AWS extras dropped', () => {
  const loaded = loadLakeFormationFiles(files, dir);
  assert.deepEqual(loaded.issues, []);
  const expected: LakeFormationSnapshot = {
    permissions: [
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Database: { CatalogId: ACCOUNT, Name: 'sales' } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders' } }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: ['SELECT'] },
      { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: 'web', TableWildcard: {} } }, Permissions: ['ALL'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: EMEA }, Resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'hr', Name: 'employees', ColumnNames: ['employee_id', 'department'] } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: AUDITOR }, Resource: { TableWithColumns: { CatalogId: ACCOUNT, DatabaseName: 'hr', Name: 'employees', ColumnWildcard: { ExcludedColumnNames: ['salary', 'ssn'] } } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: EMEA }, Resource: { DataCellsFilter: { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders' } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: ACCOUNT }, Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['sales', 'web'] }] } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'sensitivity', TagValues: ['public', 'internal'] }] } }, Permissions: ['SELECT', 'DESCRIBE'], PermissionsWithGrantOption: [] },
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTag: { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['public'] } }, Permissions: ['ASSOCIATE', 'DESCRIBE'], PermissionsWithGrantOption: [] },
      // The grant on the LFTagExpression resource is left out: it cannot grant reads.
    ],
    dataCellsFilters: [
      { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders', RowFilter: { FilterExpression: "region = 'EMEA' AND amount < 10000" }, ColumnNames: ['order_id', 'region', 'amount'] },
      { TableCatalogId: ACCOUNT, DatabaseName: 'hr', TableName: 'employees', Name: 'no_pii', RowFilter: { AllRowsWildcard: {} }, ColumnWildcard: { ExcludedColumnNames: ['ssn'] } },
    ],
    tableTags: [
      {
        database: 'sales',
        table: 'orders',
        LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['sales'] }],
        LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'sensitivity', TagValues: ['internal'] }],
        LFTagsOnColumns: [
          { Name: 'order_id', LFTags: [{ TagKey: 'sensitivity', TagValues: ['internal'] }] },
          { Name: 'card_number', LFTags: [{ TagKey: 'sensitivity', TagValues: ['pii'] }] },
        ],
      },
      { database: 'web', table: 'sessions', LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['web'] }], LFTagsOnTable: [], LFTagsOnColumns: [] },
    ],
    tagDefinitions: [
      { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales', 'web', 'hr'] },
      { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['public', 'internal', 'pii'] },
    ],
  };
  assert.deepEqual(loaded.value, expected);
});

test('lake formation files: only permissions is required', () => {
  const loaded = loadLakeFormationFiles({ permissions: write('only-table.json', { PrincipalResourcePermissions: permissions.PrincipalResourcePermissions.slice(0, 3) }), resourceTags: [] }, dir);
  assert.deepEqual(loaded.issues, []);
  assert.equal(loaded.value?.permissions.length, 3);
  assert.deepEqual([loaded.value?.dataCellsFilters, loaded.value?.tableTags, loaded.value?.tagDefinitions], [[], [], []]);
});

function issuesOf(document: unknown, name = 'bad.json'): Issue[] {
  const loaded = loadLakeFormationFiles({ ...files, permissions: write(name, document) }, dir);
  assert.equal(loaded.value, null, 'any issue withholds the snapshot');
  return loaded.issues.map((issue) => ({ ...issue, file: issue.file && path.basename(issue.file) }));
}

function grant(resource: unknown, extra: object = {}): object {
  return { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: resource, Permissions: ['SELECT'], ...extra };
}

test('lake formation files: malformed grants are issues naming the file and the JSON path', () => {
  const document = {
    PrincipalResourcePermissions: [
      grant({ Table: { DatabaseName: 'sales', Name: 'orders' } }),
      grant({ Table: { DatabaseName: 'sales', Name: 'orders' }, Database: { Name: 'sales' } }),
      grant({ Table: { DatabaseName: 'sales' } }),
      grant({ Table: { DatabaseName: 'sales', Name: 'orders', TableWildcard: {} } }),
      grant({ TableWithColumns: { DatabaseName: 'hr', Name: 'employees' } }),
      grant({ TableWithColumns: { DatabaseName: 'hr', Name: 'employees', ColumnNames: ['a'], ColumnWildcard: {} } }),
      grant({ LFTagPolicy: { ResourceType: 'COLUMN', Expression: [{ TagKey: 'domain', TagValues: ['sales'] }] } }),
      grant({ LFTagPolicy: { ResourceType: 'TABLE', ExpressionName: 'sales_public' } }),
      grant({ DataCellsFilter: { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'apac_orders' } }),
      grant({ Table: { DatabaseName: 'sales', Name: 'orders' } }, { Condition: { Expression: 'context.region == "eu"' } }),
      { Principal: {}, Resource: {}, Permissions: 'SELECT' },
    ],
  };
  assert.deepEqual(issuesOf(document), [
    { file: 'bad.json', path: 'PrincipalResourcePermissions[1].Resource', message: 'a Resource sets exactly one kind, found Database, Table' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[2].Resource.Table', message: 'set exactly one of Name or TableWildcard' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[3].Resource.Table', message: 'set exactly one of Name or TableWildcard' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[4].Resource.TableWithColumns', message: 'set exactly one of ColumnNames (non-empty) or ColumnWildcard' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[5].Resource.TableWithColumns', message: 'set exactly one of ColumnNames (non-empty) or ColumnWildcard' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[6].Resource.LFTagPolicy.ResourceType', message: "Invalid enum value. Expected 'DATABASE' | 'TABLE', received 'COLUMN'" },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[7].Resource.LFTagPolicy.Expression', message: 'grants on the named LF-Tag expression "sales_public" are not supported: export the grant with its Expression' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[8].Resource.DataCellsFilter', message: 'no data cells filter sales.orders.apac_orders is defined' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[9].Condition.Expression', message: 'conditional grants (a Cedar Condition) are not supported' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[10].Principal.DataLakePrincipalIdentifier', message: 'Required' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[10].Resource', message: 'a Resource sets exactly one kind, found none' },
    { file: 'bad.json', path: 'PrincipalResourcePermissions[10].Permissions', message: 'Expected array, received string' },
  ]);
});

test('lake formation files: malformed filters, tags and tag definitions', () => {
  const loaded = loadLakeFormationFiles({
    permissions: write('grants-none.json', { PrincipalResourcePermissions: [] }),
    dataCellsFilters: write('bad-filters.json', {
      DataCellsFilters: [
        { DatabaseName: 'sales', TableName: 'orders', Name: 'f0', ColumnNames: ['a'] },
        { DatabaseName: 'sales', TableName: 'orders', Name: 'f1', RowFilter: { FilterExpression: 'a = 1', AllRowsWildcard: {} }, ColumnWildcard: {} },
        { DatabaseName: 'sales', TableName: 'orders', Name: 'f2', RowFilter: { AllRowsWildcard: {} }, ColumnNames: [] },
        { DatabaseName: 'sales', TableName: 'orders', Name: 'f3', RowFilter: { AllRowsWildcard: {} }, ColumnNames: [], ColumnWildcard: { ExcludedColumnNames: [] } },
      ],
    }),
    lfTags: write('bad-lf-tags.json', { LFTags: [{ TagKey: 'domain', TagValues: 'sales' }] }),
    resourceTags: [
      { table: 'sales.orders', file: write('bad-tags.json', { LFTagsOnColumns: [{ Name: 'order_id', LFTags: [{ TagKey: 'sensitivity' }] }] }) },
      { table: 'sales.orders', file: 'tags-sales-orders.json' },
      { table: 'web.sessions', file: 'missing-tags.json' },
    ],
  }, dir);
  assert.equal(loaded.value, null);
  assert.deepEqual(loaded.issues.map((issue) => ({ ...issue, file: issue.file && path.basename(issue.file) })), [
    { file: 'bad-filters.json', path: 'DataCellsFilters[0].RowFilter', message: 'set exactly one of RowFilter.FilterExpression or RowFilter.AllRowsWildcard' },
    { file: 'bad-filters.json', path: 'DataCellsFilters[1].RowFilter', message: 'set exactly one of RowFilter.FilterExpression or RowFilter.AllRowsWildcard' },
    { file: 'bad-filters.json', path: 'DataCellsFilters[2]', message: 'set exactly one of ColumnNames (non-empty) or ColumnWildcard' },
    { file: 'bad-lf-tags.json', path: 'LFTags[0].TagValues', message: 'Expected array, received string' },
    { file: 'bad-tags.json', path: 'LFTagsOnColumns[0].LFTags[0].TagValues', message: 'Required' },
    { file: undefined, path: 'lakeFormation.files.resourceTags[1].table', message: 'tags for sales.orders are given twice' },
    { file: undefined, path: 'lakeFormation.files.resourceTags[2].file', message: `file not found: ${path.join(dir, 'missing-tags.json')}` },
  ]);
});

test('lake formation files: missing files, broken JSON and wrong top-level shapes', () => {
  assert.deepEqual(loadLakeFormationFiles({ permissions: 'nope.json', resourceTags: [] }, dir).issues, [
    { path: 'lakeFormation.files.permissions', message: `file not found: ${path.join(dir, 'nope.json')}` },
  ]);
  assert.deepEqual(issuesOf('{"PrincipalResourcePermissions": [', 'truncated.json').map((issue) => [issue.file, issue.path]), [['truncated.json', '']]);
  assert.deepEqual(issuesOf({ Permissions: [] }, 'wrong.json'), [{ file: 'wrong.json', path: 'PrincipalResourcePermissions', message: 'Required' }]);
  assert.deepEqual(issuesOf([], 'array.json'), [{ file: 'array.json', path: '', message: 'Expected object, received array' }]);
});
