import { dayTimestampSql } from './days';
import { listLiteral, weightedCase } from './sql';
import { CATEGORIES, EVENT_TYPES, OPERATING_SYSTEMS, OTHER_BROWSERS, SEARCH_TERMS, SKU_COUNT } from './vocabulary';

/**
 * SQL for web.events, one day at a time (rows `start`..`stop`-1 all fall on `day`). Events
 * come in sessions: each block of 8 consecutive events is split at a random point into two
 * sessions, so sessions vary in length (1-7) while the row count stays exact. A session's
 * user, device and start time are drawn from its key; its events follow each other in time.
 */

const BLOCK = 8;
const ANONYMOUS_SHARE = 0.2;
const NO_BROWSER_SHARE = 0.05;
const SAFARI_SHARE_ON_APPLE = 0.8;
/** Latest session start, leaving room for its events before midnight. */
const LAST_START_MS = 23 * 3_600_000;
const EVENT_GAP_MS = 45_000;

const ITEM_TYPE = 'STRUCT(sku VARCHAR, qty INTEGER)[]';

function skuSql(keySql: string): string {
  return `'SKU-' || lpad((rhash(${keySql}, 'sku') % ${SKU_COUNT})::VARCHAR, 4, '0')`;
}

function pageSql(): string {
  return `CASE event_type
    WHEN 'search' THEN '/search?q=' || pick(${listLiteral(SEARCH_TERMS)}, i, 'term')
    WHEN 'add_to_cart' THEN '/products/' || items[1].sku
    WHEN 'purchase' THEN '/checkout/complete'
    ELSE CASE WHEN rnd(i, 'page') < 0.2 THEN '/'
              WHEN rnd(i, 'page') < 0.5 THEN '/category/' || pick(${listLiteral(CATEGORIES)}, i, 'category')
              ELSE '/products/' || ${skuSql('i * 4')} END
  END`;
}

function browserSql(): string {
  return `CASE WHEN rnd(session_key, 'no_browser') < ${NO_BROWSER_SHARE} THEN NULL
       WHEN os IN ('ios', 'macos') AND rnd(session_key, 'safari') < ${SAFARI_SHARE_ON_APPLE} THEN 'safari'
       ELSE ${weightedCase('rnd(session_key, \'browser\')', OTHER_BROWSERS)} END`;
}

/** 1-3 cart lines for cart events, keyed by event so they are stable. */
function itemsSql(): string {
  return `CASE WHEN event_type IN ('add_to_cart', 'purchase')
    THEN list_transform(range(1 + (rhash(i, 'lines') % 3)::BIGINT),
                        lambda k: {'sku': ${skuSql('i * 4 + k')}, 'qty': (1 + rhash(i * 4 + k, 'qty') % 3)::INTEGER})
    ELSE []::${ITEM_TYPE} END`;
}

export function eventsSql(day: number, start: number, stop: number, customerCount: number): string {
  return `SELECT 'evt-' || lpad((i + 1)::VARCHAR, 10, '0') AS event_id,
       user_id,
       printf('%016x', rhash(session_key, 'session_id')) AS session_id,
       event_type,
       ${pageSql()} AS page,
       ${dayTimestampSql(String(day))}
         + to_milliseconds((rhash(session_key, 'start') % ${LAST_START_MS})::BIGINT
                           + seq * ${EVENT_GAP_MS} + (rhash(i, 'gap') % ${EVENT_GAP_MS})::BIGINT) AS ts,
       {'os': os, 'browser': ${browserSql()}} AS device,
       items
FROM (
  SELECT *, ${itemsSql()} AS items
  FROM (
    SELECT *,
           CASE WHEN rnd(session_key, 'anonymous') < ${ANONYMOUS_SHARE} THEN NULL
                ELSE 1 + floor(pow(rnd(session_key, 'user'), 2) * ${customerCount})::BIGINT END AS user_id,
           ${weightedCase('rnd(session_key, \'os\')', OPERATING_SYSTEMS)} AS os,
           ${weightedCase('rnd(i, \'event_type\')', EVENT_TYPES)} AS event_type
    FROM (
      SELECT i, block * 2 + (slot >= split)::BIGINT AS session_key,
             CASE WHEN slot >= split THEN slot - split ELSE slot END AS seq
      FROM (
        SELECT i, slot, block, 1 + (rhash(block, 'split') % ${BLOCK - 1})::BIGINT AS split
        FROM (
          SELECT i, (i - ${start}) % ${BLOCK} AS slot, ${day}::BIGINT * 1000000000 + (i - ${start}) // ${BLOCK} AS block
          FROM range(${start}, ${stop}) r(i)
        )
      )
    )
  )
)`;
}
