import assert from 'node:assert/strict';
import type { ConfiguredApp } from './app';

/** A read by cursor pages: what to read (the dataset field, its arguments and row selection) and how big a page is. */
export interface PagedRead {
  readonly field: string;
  /** Arguments besides first/after, as GraphQL text: `where: {…}, orderBy: […]`. */
  readonly args?: string;
  readonly selection: string;
  readonly first: number;
  readonly role?: string;
}

export interface PagesRead {
  readonly rows: Record<string, unknown>[];
  readonly cursors: string[];
  /** Each page's `extensions.lakegate.queries`. */
  readonly queries: Record<string, unknown>[][];
}

export function pageQuery(read: Pick<PagedRead, 'field' | 'args' | 'selection' | 'first'>): string {
  const args = read.args ? `, ${read.args}` : '';
  return `query($after: String) { ${read.field}Page(first: ${read.first}, after: $after${args}) { rows { ${read.selection} } pageInfo { endCursor hasNextPage } } }`;
}

/** Reads every page, following `endCursor` until `hasNextPage` is false; every page but the last is full. */
export async function readAllPages(app: ConfiguredApp, read: PagedRead): Promise<PagesRead> {
  const rows: Record<string, unknown>[] = [];
  const cursors: string[] = [];
  const queries: Record<string, unknown>[][] = [];
  let after: string | null = null;
  for (;;) {
    const response = await app.graphql(pageQuery(read), after ? { after } : {}, read.role);
    assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
    const page = response.body.data[`${read.field}Page`] as { rows: Record<string, unknown>[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    queries.push(response.body.extensions.lakegate.queries);
    rows.push(...page.rows);
    assert.equal(page.pageInfo.hasNextPage, page.pageInfo.endCursor !== null);
    if (!page.pageInfo.hasNextPage) return { rows, cursors, queries };
    assert.equal(page.rows.length, read.first, 'a page before the last is full');
    cursors.push(page.pageInfo.endCursor!);
    after = page.pageInfo.endCursor;
  }
}

/** The same read in one list query (`limit` large enough for all of it). */
export async function readUnpaged(app: ConfiguredApp, read: Omit<PagedRead, 'first'>, limit = 10_000): Promise<Record<string, unknown>[]> {
  const args = read.args ? `, ${read.args}` : '';
  const response = await app.graphql(`{ ${read.field}(limit: ${limit}${args}) { ${read.selection} } }`, {}, read.role);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  return response.body.data[read.field];
}

/** Pages equal the unpaged read, in order, and no row comes twice. */
export async function assertPagesEqualUnpaged(app: ConfiguredApp, read: PagedRead, key: string): Promise<PagesRead> {
  const paged = await readAllPages(app, read);
  const whole = await readUnpaged(app, read);
  assert.ok(whole.length > read.first, `the read spans several pages (${whole.length} rows)`);
  assert.equal(new Set(paged.rows.map((row) => JSON.stringify(row[key]))).size, paged.rows.length, 'no row twice');
  assert.deepEqual(paged.rows, whole);
  return paged;
}
