import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Issue } from '../../src/catalog/types';
import type { LakeFormationConfig } from '../../src/config/schema';
import { loadLakeFormationFiles } from '../../src/policy/import-files';
import type { TableTags } from '../../src/policy/lf-types';

/**
 * `lakeFormation.files.resourceTags` as one file holding a list of `get-resource-lf-tags`
 * outputs, each naming its table in `Table` (the TaggedTable shape), alone or mixed with
 * `{ table, file }` entries.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-lf-tag-lists-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';
const pair = (key: string, ...values: string[]): object => ({ CatalogId: ACCOUNT, TagKey: key, TagValues: values });

function write(name: string, document: unknown): string {
  writeFileSync(path.join(dir, name), JSON.stringify(document, null, 4));
  return name;
}

const permissions = write('permissions.json', { PrincipalResourcePermissions: [] });

/** `get-resource-lf-tags --resource '{"Table":{"DatabaseName":"sales","Name":"orders"}}'`, with the table it was asked about. */
const orders = {
  Table: { CatalogId: ACCOUNT, DatabaseName: 'sales', Name: 'orders' },
  LFTagOnDatabase: [pair('domain', 'sales')],
  LFTagsOnTable: [pair('domain', 'sales'), pair('sensitivity', 'internal')],
  LFTagsOnColumns: [{ Name: 'card_number', LFTags: [pair('domain', 'sales'), pair('sensitivity', 'pii')] }],
};
const sessions = {
  Table: { DatabaseName: 'web', Name: 'sessions' },
  LFTagOnDatabase: [pair('domain', 'web')],
  LFTagsOnTable: [pair('domain', 'web')],
  LFTagsOnColumns: [],
};
const employeesOutput = { LFTagOnDatabase: [pair('domain', 'hr')], LFTagsOnTable: [pair('domain', 'hr')], LFTagsOnColumns: [] };

const ORDERS_TAGS: TableTags = {
  CatalogId: ACCOUNT,
  database: 'sales',
  table: 'orders',
  LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['sales'] }],
  LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'sensitivity', TagValues: ['internal'] }],
  LFTagsOnColumns: [{ Name: 'card_number', LFTags: [{ TagKey: 'domain', TagValues: ['sales'] }, { TagKey: 'sensitivity', TagValues: ['pii'] }] }],
};
const SESSIONS_TAGS: TableTags = {
  database: 'web',
  table: 'sessions',
  LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['web'] }],
  LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['web'] }],
  LFTagsOnColumns: [],
};
const EMPLOYEES_TAGS: TableTags = {
  database: 'hr',
  table: 'employees',
  LFTagOnDatabase: [{ TagKey: 'domain', TagValues: ['hr'] }],
  LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['hr'] }],
  LFTagsOnColumns: [],
};

type ResourceTags = NonNullable<LakeFormationConfig['files']>['resourceTags'];

function load(resourceTags: ResourceTags): ReturnType<typeof loadLakeFormationFiles> {
  return loadLakeFormationFiles({ permissions, resourceTags }, dir);
}

function issuesOf(resourceTags: ResourceTags): Issue[] {
  const loaded = load(resourceTags);
  assert.equal(loaded.value, null, 'any issue withholds the snapshot');
  return loaded.issues.map((issue) => ({ ...issue, file: issue.file && path.basename(issue.file) }));
}

test('one list file: each output\'s table comes from its own Table, its CatalogId kept', () => {
  const loaded = load(write('tags.json', [orders, sessions]));
  assert.deepEqual(loaded.issues, []);
  assert.deepEqual(loaded.value?.tableTags, [ORDERS_TAGS, SESSIONS_TAGS]);
});

test('search-tables-by-lf-tags output ({"TableList": [...]}) is the same list', () => {
  const loaded = load(write('search.json', { TableList: [orders, sessions] }));
  assert.deepEqual(loaded.issues, []);
  assert.deepEqual(loaded.value?.tableTags, [ORDERS_TAGS, SESSIONS_TAGS]);
});

test('list files and { table, file } entries mix; each table once', () => {
  const loaded = load([write('sales-web.json', [orders, sessions]), { table: 'hr.employees', file: write('hr.employees.json', employeesOutput) }]);
  assert.deepEqual(loaded.issues, []);
  assert.deepEqual(loaded.value?.tableTags, [ORDERS_TAGS, SESSIONS_TAGS, EMPLOYEES_TAGS]);
});

test('an output that names no table is an issue at its index; so is a Table naming none', () => {
  const wildcard = { ...employeesOutput, Table: { DatabaseName: 'hr', TableWildcard: {} } };
  assert.deepEqual(issuesOf(write('unnamed.json', [orders, employeesOutput, wildcard])), [
    {
      file: 'unnamed.json',
      path: '[1]',
      message: 'this get-resource-lf-tags output does not name its table: add "Table": {"DatabaseName": ..., "Name": ...} (the --resource it was asked about)',
    },
    { file: 'unnamed.json', path: '[2].Table.Name', message: 'Required' },
  ]);
  assert.deepEqual(issuesOf(write('unnamed-search.json', { TableList: [employeesOutput] })).map((issue) => issue.path), ['TableList[0]']);
});

test('malformed outputs in a list are issues at their path in the file', () => {
  const bad = { ...sessions, LFTagsOnColumns: [{ Name: 'ip', LFTags: [{ TagKey: 'sensitivity' }] }] };
  assert.deepEqual(issuesOf(write('bad-list.json', [orders, bad])), [
    { file: 'bad-list.json', path: '[1].LFTagsOnColumns[0].LFTags[0].TagValues', message: 'Required' },
  ]);
});

test('a list file that is not a list says what is expected, and names the single-output form', () => {
  const [issue, ...rest] = issuesOf(write('single.json', employeesOutput));
  assert.deepEqual(rest, []);
  assert.deepEqual([issue!.file, issue!.path], ['single.json', '']);
  assert.match(issue!.message, /expected a JSON list of get-resource-lf-tags outputs, each naming its table in "Table"/);
  assert.match(issue!.message, /a single output goes in resourceTags as \{ table, file \}/);
});

test('a table given twice, within a list or across forms, is an issue at the second place', () => {
  const list = write('twice.json', [orders, sessions, { ...orders, Table: { DatabaseName: 'SALES', Name: 'Orders' } }]);
  assert.deepEqual(issuesOf(list), [{ file: 'twice.json', path: '[2].Table', message: 'tags for SALES.Orders are given twice' }]);
  assert.deepEqual(issuesOf([{ table: 'web.sessions', file: write('web.sessions.json', employeesOutput) }, write('again.json', [orders, sessions])]), [
    { file: 'again.json', path: '[1].Table', message: 'tags for web.sessions are given twice' },
  ]);
  assert.deepEqual(issuesOf([write('first.json', [sessions]), { table: 'web.sessions', file: 'web.sessions.json' }]), [
    { file: undefined, path: 'lakeFormation.files.resourceTags[1].table', message: 'tags for web.sessions are given twice' },
  ]);
});

test('a missing or broken list file is an issue at its place in the configuration', () => {
  assert.deepEqual(issuesOf('nowhere.json'), [{ file: undefined, path: 'lakeFormation.files.resourceTags', message: `file not found: ${path.join(dir, 'nowhere.json')}` }]);
  assert.deepEqual(issuesOf([write('ok.json', [orders]), 'nowhere.json']).map((issue) => issue.path), ['lakeFormation.files.resourceTags[1]']);
  writeFileSync(path.join(dir, 'truncated.json'), '[{"Table": ');
  assert.deepEqual(issuesOf('truncated.json').map((issue) => [issue.file, issue.path]), [['truncated.json', '']]);
});
