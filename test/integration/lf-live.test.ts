import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { createLiveLakeFormationSource, type LiveLakeFormationLogger } from '../../src/policy/import-live';
import type { DataCellsFilter, LakeFormationSnapshot, PrincipalResourcePermissions, TableTags } from '../../src/policy/lf-types';
import { type LakeFormationEmulator, startLakeFormationEmulator } from '../emulators/lakeformation';

const ACCOUNT = '111122223333';
const ANALYST = `arn:aws:iam::${ACCOUNT}:role/Analyst`;

function tableGrant(principal: string, database: string, table: string): PrincipalResourcePermissions {
  return { Principal: { DataLakePrincipalIdentifier: principal }, Resource: { Table: { CatalogId: ACCOUNT, DatabaseName: database, Name: table } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] };
}

const filter: DataCellsFilter = {
  TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders',
  RowFilter: { FilterExpression: "region = 'EMEA'" }, ColumnNames: ['order_id', 'region'],
};

const allRows: DataCellsFilter = {
  TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'all_rows',
  RowFilter: { AllRowsWildcard: {} }, ColumnWildcard: { ExcludedColumnNames: ['card_number'] },
};

const ordersTags: TableTags = {
  database: 'sales', table: 'orders',
  LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['sales'] }],
  LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['sales'] }],
  LFTagsOnColumns: [{ Name: 'card_number', LFTags: [{ TagKey: 'sensitivity', TagValues: ['pii'] }] }],
};
const sessionsTags: TableTags = { database: 'web', table: 'sessions', LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['web'] }], LFTagsOnTable: [], LFTagsOnColumns: [] };

const initial = {
  permissions: [
    tableGrant(ANALYST, 'sales', 'orders'),
    tableGrant(ANALYST, 'web', 'sessions'),
    tableGrant('IAM_ALLOWED_PRINCIPALS', 'web', 'pages'),
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { DataCellsFilter: { TableCatalogId: ACCOUNT, DatabaseName: 'sales', TableName: 'orders', Name: 'emea_orders' } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
    { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'TABLE' as const, Expression: [{ TagKey: 'domain', TagValues: ['sales'] }] } }, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
  ],
  dataCellsFilters: [filter, allRows],
  tagDefinitions: [
    { CatalogId: ACCOUNT, TagKey: 'domain', TagValues: ['sales', 'web'] },
    { CatalogId: ACCOUNT, TagKey: 'sensitivity', TagValues: ['public', 'pii'] },
    { CatalogId: ACCOUNT, TagKey: 'owner', TagValues: ['finance'] },
  ],
  tableTags: [ordersTags, sessionsTags],
};

interface Logged { level: 'warn' | 'info'; obj: Record<string, unknown>; msg: string }

async function setUp(options: { maxAttempts?: number } = {}): Promise<{
  emulator: LakeFormationEmulator;
  logs: Logged[];
  source: ReturnType<typeof createLiveLakeFormationSource>;
  close(): Promise<void>;
}> {
  const emulator = await startLakeFormationEmulator(structuredClone(initial));
  const client = new LakeFormationClient({
    region: 'eu-west-1',
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: options.maxAttempts ?? 1,
  });
  const logs: Logged[] = [];
  const logger: LiveLakeFormationLogger = {
    warn: (obj, msg) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj, msg) => logs.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  };
  const source = createLiveLakeFormationSource({
    client, catalogId: ACCOUNT, refreshSeconds: 300, logger,
    tables: [{ database: 'sales', table: 'orders' }, { database: 'web', table: 'sessions' }],
  });
  return {
    emulator, logs, source,
    async close() {
      source.stop();
      client.destroy();
      await emulator.close();
    },
  };
}

test('live lake formation: reads every page through the SDK and the tags of each table', async () => {
  const { emulator, source, close } = await setUp();
  try {
    const snapshot = await source.start();
    assert.equal(source.current(), snapshot);
    assert.deepEqual(emulator.calls, { ListPermissions: 3, ListDataCellsFilter: 1, ListLFTags: 2, GetResourceLFTags: 2 });
    const expected: LakeFormationSnapshot = {
      permissions: initial.permissions,
      dataCellsFilters: [filter, allRows],
      tableTags: [ordersTags, sessionsTags],
      tagDefinitions: initial.tagDefinitions,
    };
    assert.deepEqual(snapshot, expected, 'LastUpdated and other AWS extras are dropped');

    const tagRequests = emulator.requests.filter((request) => request.operation === 'GetResourceLFTags').map((request) => request.body);
    assert.deepEqual(tagRequests.map((body) => body['Resource']), [
      { Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders' } },
      { Table: { CatalogId: ACCOUNT, DatabaseName: 'web', Name: 'sessions' } },
    ]);
    assert.ok(tagRequests.every((body) => body['ShowAssignedLFTags'] === false));
    const permissionRequests = emulator.requests.filter((request) => request.operation === 'ListPermissions');
    assert.deepEqual(permissionRequests.map((request) => request.body['NextToken'] !== undefined), [false, true, true]);
    assert.ok(permissionRequests.every((request) => request.body['CatalogId'] === ACCOUNT && request.body['MaxResults'] === 1000));
    assert.match(String(permissionRequests[0]!.headers['authorization']), /^AWS4-HMAC-SHA256 Credential=x\/\d{8}\/eu-west-1\/lakeformation\/aws4_request/);
  } finally {
    await close();
  }
});

test('live lake formation: a refresh picks up a change and tells each listener once', async () => {
  const { emulator, source, logs, close } = await setUp();
  try {
    await source.start();
    const seen: LakeFormationSnapshot[] = [];
    const unsubscribe = source.onChange((snapshot) => seen.push(snapshot));

    await source.refreshNow();
    assert.equal(seen.length, 0, 'nothing changed: no call');

    emulator.state.permissions.push(tableGrant(`arn:aws:iam::${ACCOUNT}:role/Auditor`, 'sales', 'orders'));
    await source.refreshNow();
    assert.equal(seen.length, 1);
    assert.equal(seen[0], source.current());
    assert.equal(source.current().permissions.length, 6);

    emulator.state.permissions.reverse();
    await source.refreshNow();
    assert.equal(seen.length, 1, 'the same grants in another order are no change');

    unsubscribe();
    emulator.state.tableTags[1] = { ...sessionsTags, LFTagsOnTable: [{ TagKey: 'sensitivity', TagValues: ['public'] }] };
    await source.refreshNow();
    assert.equal(seen.length, 1, 'an unsubscribed listener hears nothing');
    assert.deepEqual(source.current().tableTags[1]?.LFTagsOnTable, [{ TagKey: 'sensitivity', TagValues: ['public'] }]);
    assert.equal(logs.filter((log) => log.level === 'warn').length, 0);
  } finally {
    await close();
  }
});

test('live lake formation: a failing refresh keeps the last good snapshot and warns', async () => {
  const { emulator, source, logs, close } = await setUp();
  try {
    const first = await source.start();
    let changes = 0;
    source.onChange(() => (changes += 1));
    emulator.state.permissions = [];
    emulator.failNext(1, { status: 500, errorType: 'InternalServiceException', message: 'Internal service error', operation: 'ListLFTags' });
    await source.refreshNow();
    assert.equal(source.current(), first);
    assert.equal(changes, 0);
    const warning = logs.find((log) => log.level === 'warn');
    assert.equal(warning?.msg, 'Lake Formation refresh failed; keeping the last good snapshot');
    assert.equal(warning?.obj['err'], 'ListLFTags: InternalServiceException: Internal service error');

    emulator.failNext(1, { status: 400, errorType: 'AccessDeniedException', message: 'no GetResourceLFTags on sales.orders', operation: 'GetResourceLFTags' });
    await source.refreshNow();
    assert.equal(source.current(), first, 'tags are all or nothing');

    await source.refreshNow();
    assert.equal(source.current().permissions.length, 0, 'the next good refresh applies');
    assert.equal(changes, 1);
  } finally {
    await close();
  }
});

test('live lake formation: start() rejects when the first load fails, and can be retried', async () => {
  const { emulator, source, close } = await setUp();
  try {
    emulator.failNext(1, { status: 500, errorType: 'InternalServiceException', operation: 'ListPermissions' });
    await assert.rejects(source.start(), /Lake Formation could not be read: ListPermissions: InternalServiceException/);
    assert.throws(() => source.current(), /has not loaded yet/);
    const snapshot = await source.start();
    assert.equal(snapshot.permissions.length, 5);
  } finally {
    await close();
  }
});

test('live lake formation: the SDK retries a throttled call; unknown tables and unreadable grants are warnings', async () => {
  const { emulator, source, logs, close } = await setUp({ maxAttempts: 3 });
  try {
    emulator.state.tableTags = [ordersTags];
    emulator.state.permissions.push(
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { LFTagPolicy: { ResourceType: 'TABLE', ExpressionName: 'sales_public' } as never }, Permissions: ['SELECT'] },
      { Principal: { DataLakePrincipalIdentifier: ANALYST }, Resource: { DataCellsFilter: { DatabaseName: 'sales', TableName: 'orders', Name: 'gone' } }, Permissions: ['SELECT'] },
    );
    emulator.failNext(1, { status: 400, errorType: 'ThrottlingException', message: 'Rate exceeded', operation: 'ListDataCellsFilter' });
    const snapshot = await source.start();
    assert.equal(emulator.calls.ListDataCellsFilter, 2, 'retried once');
    assert.equal(snapshot.permissions.length, 5, 'the two unreadable grants are left out');
    assert.deepEqual(snapshot.tableTags.map((tags) => `${tags.database}.${tags.table}`), ['sales.orders']);
    const warnings = logs.filter((log) => log.level === 'warn');
    assert.deepEqual(warnings.map((log) => log.msg).sort(), [
      'Lake Formation does not know this table; it has no LF-Tags',
      'Lake Formation entries left out: Lakegate cannot read them',
    ]);
    const issues = warnings.find((log) => log.obj['issues'])?.obj['issues'] as { path: string }[];
    assert.deepEqual(issues.map((issue) => issue.path), ['PrincipalResourcePermissions[5].Resource.LFTagPolicy.Expression', 'PrincipalResourcePermissions[6].Resource.DataCellsFilter']);
  } finally {
    await close();
  }
});

test('live lake formation: the interval refreshes on its own and stop() ends it', async () => {
  const emulator = await startLakeFormationEmulator(structuredClone(initial));
  const client = new LakeFormationClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  const quiet: LiveLakeFormationLogger = { warn: () => undefined, info: () => undefined };
  const source = createLiveLakeFormationSource({ client, catalogId: ACCOUNT, tables: [], refreshSeconds: 0.02, logger: quiet });
  try {
    await source.start();
    const changed = new Promise<LakeFormationSnapshot>((resolve) => source.onChange(resolve));
    emulator.state.permissions = [];
    const snapshot = await changed;
    assert.equal(snapshot.permissions.length, 0);
    source.stop();
    const calls = emulator.calls.ListPermissions;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(emulator.calls.ListPermissions - calls <= 3, 'at most the refresh in flight finishes after stop()');
  } finally {
    source.stop();
    client.destroy();
    await emulator.close();
  }
});
