import type { ResultPosition } from '../pages';
import type { Row } from '../types';

/** One page as the engine hands it out: data rows (no header) and its token for the page after, if any. */
export interface EnginePage {
  readonly rows: readonly Row[];
  readonly nextToken: string | null;
}

/**
 * Reads one engine page at `token`; `want` is how many rows of it would be useful (an engine that
 * takes a page size asks for that many, capped at its maximum; one that does not ignores it).
 */
export type FetchEnginePage = (token: string | null, want: number) => Promise<EnginePage>;

/**
 * The `first` rows of an engine result from `start`, and where the rows after them start. Reads
 * engine pages until it holds one row more than asked, so the next position is known to hold a
 * row (no empty last page); a position inside an engine page is that page's token plus the rows
 * of it already handed out, so engine pages need not line up with `first`.
 */
export async function readResultPage(fetch: FetchEnginePage, start: ResultPosition, first: number): Promise<{ rows: Row[]; next: ResultPosition | null }> {
  const rows: Row[] = [];
  let { token, skip } = start;
  for (;;) {
    const room = first - rows.length;
    const page = await fetch(token, skip + room + 1);
    const fresh = page.rows.slice(skip);
    if (fresh.length > room) {
      rows.push(...fresh.slice(0, room));
      return { rows, next: { token, skip: skip + room } };
    }
    rows.push(...fresh);
    if (!page.nextToken) return { rows, next: null };
    token = page.nextToken;
    skip = 0;
  }
}
