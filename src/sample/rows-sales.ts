import { dayLabelSql, dayOfRowSql, dayTimestampSql } from './days';
import { literal, structLiteral, weightedCase } from './sql';
import { CHANNELS, COUNTRIES, SEGMENTS, STATUSES, type Country, type PersonName } from './vocabulary';

/**
 * SQL for the sales database. Customers are materialised first (transactions join them for
 * the country's currency); transactions are one set-based SELECT over `range(rows)`.
 */

/** Share of customers who never buy, so "customers without transactions" exist. */
const DORMANT_SHARE = 0.1;
/** Share of transactions that are unusually large (B2B orders, fraud-looking outliers). */
const LARGE_SHARE = 0.002;

const DAY_MS = 86_400_000;
const SIGNUP_SPAN_SECONDS = 6 * 365 * 86_400;

function nameList(names: readonly PersonName[]): string {
  return `[${names.map((name) => structLiteral({ display: name.display, ascii: name.ascii })).join(', ')}]`;
}

/** SQL: the per-country name list for `country`, picked by `field`. */
function namesByCountry(field: (country: Country) => readonly PersonName[]): string {
  return `CASE country ${COUNTRIES.map((country) => `WHEN ${literal(country.code)} THEN ${nameList(field(country))}`).join(' ')} END`;
}

function byCountry(value: (country: Country) => string | number): string {
  return `CASE country ${COUNTRIES.map((country) => `WHEN ${literal(country.code)} THEN ${literal(value(country))}`).join(' ')} END`;
}

/** `CREATE TEMP TABLE customers`: ids 1..count, names matching the country. */
export function customersTableSql(count: number): string {
  const countries = COUNTRIES.map((country) => ({ value: country.code, weight: country.weight }));
  return `CREATE OR REPLACE TEMP TABLE customers AS
SELECT customer_id,
       given.display || ' ' || family.display AS name,
       given.ascii || '.' || family.ascii || customer_id::VARCHAR || '@example.com' AS email,
       country, segment, created_at
FROM (
  SELECT customer_id, country, segment, created_at,
         pick(${namesByCountry((country) => country.firstNames)}, customer_id, 'given') AS given,
         pick(${namesByCountry((country) => country.lastNames)}, customer_id, 'family') AS family
  FROM (
    SELECT i + 1 AS customer_id,
           ${weightedCase('rnd(i, \'country\')', countries)} AS country,
           ${weightedCase('rnd(i, \'segment\')', SEGMENTS)} AS segment,
           TIMESTAMP '2018-01-01' + to_seconds((rnd(i, 'created') * ${SIGNUP_SPAN_SECONDS})::BIGINT) AS created_at
    FROM range(${count}) r(i)
  )
)`;
}

/**
 * `CREATE TEMP TABLE buyers`: the customers who buy, numbered 0..n-1 in a seed-shuffled order
 * so transactions can pick one by number. Customer 1 always buys, so the table is never empty.
 */
export function buyersTableSql(): string {
  return `CREATE OR REPLACE TEMP TABLE buyers AS
SELECT row_number() OVER (ORDER BY rhash(customer_id, 'rank'), customer_id) - 1 AS k, customer_id, country
FROM customers
WHERE customer_id = 1 OR rnd(customer_id, 'dormant') >= ${DORMANT_SHARE}`;
}

/**
 * Transactions 0..total-1 with a `dt` column. The buyer is drawn with a squared uniform, so a
 * few customers buy often and most rarely. Amounts are log-uniform between 2 and 800 USD with
 * rare large ones, converted into the customer's currency.
 */
export function transactionsSql(total: number, buyerCount: number): string {
  const day = dayOfRowSql('i', total);
  return `SELECT t.i + 1 AS transaction_id,
       b.customer_id,
       round(t.usd * ${byCountry((country) => country.perUsd)}, ${byCountry((country) => country.minorDigits)}) AS amount,
       ${byCountry((country) => country.currency)} AS currency,
       t.status, t.channel, t.ts, t.dt
FROM (
  SELECT i,
         floor(pow(rnd(i, 'buyer'), 2) * ${buyerCount})::BIGINT AS k,
         CASE WHEN rnd(i, 'large') < ${LARGE_SHARE} THEN 2000 + 48000 * rnd(i, 'usd')
              ELSE exp(ln(2) + rnd(i, 'usd') * ln(400)) END AS usd,
         ${weightedCase('rnd(i, \'status\')', STATUSES)} AS status,
         ${weightedCase('rnd(i, \'channel\')', CHANNELS)} AS channel,
         ${dayTimestampSql(day)} + to_milliseconds((rhash(i, 'ts') % ${DAY_MS})::BIGINT) AS ts,
         ${dayLabelSql(day)} AS dt
  FROM range(${total}) r(i)
) t
JOIN buyers b ON b.k = t.k`;
}
