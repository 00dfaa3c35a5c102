import { types, type CustomTypesConfig } from 'pg';

/**
 * Type parsers for one engine's queries, passed per query (`QueryConfig.types`) so the global
 * `pg.types` stay untouched and a pool handed in keeps its own settings for other users. Values
 * come out as the Redshift Data adapter hands them on, so both Redshift adapters agree:
 *
 * | PostgreSQL wire type (OID)                                   | row value                    |
 * |--------------------------------------------------------------|------------------------------|
 * | int8 (20), numeric (1700)                                    | decimal string, as sent      |
 * | date, time, timetz, timestamp, timestamptz, interval         | text, as sent                |
 * | bytea / varbyte (17)                                         | lower-case hex, no `\x`      |
 * | Redshift SUPER (4000)                                        | parsed JSON (text if not)    |
 * | int2, int4, float4, float8, bool, and everything else        | pg's default parser          |
 */

const AS_SENT = new Set([
  20, // int8
  1700, // numeric
  1082, // date
  1083, // time
  1266, // timetz
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
]);
const BYTEA = 17;
/** Redshift's SUPER type OID on the wire. */
const SUPER = 4000;

const asSent = (value: string): string => value;
const hex = (value: string): string => (value.startsWith('\\x') ? value.slice(2) : Buffer.from(value, 'latin1').toString('hex'));
const json = (value: string): unknown => {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (format === 'binary') return types.getTypeParser(oid, format) as (value: string) => unknown;
  if (AS_SENT.has(oid)) return asSent;
  if (oid === BYTEA) return hex;
  if (oid === SUPER) return json;
  return types.getTypeParser(oid, 'text') as (value: string) => unknown;
}

export const redshiftTypeParsers: CustomTypesConfig = { getTypeParser } as unknown as CustomTypesConfig;
