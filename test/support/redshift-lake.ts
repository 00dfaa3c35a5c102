import pg, { type Client, type ClientBase, type PoolConfig } from 'pg';

/**
 * The PostgreSQL 15 stand-in for a Redshift database the Redshift adapter tests share: one schema
 * with a `transactions` table big enough that the Data API pages its results.
 *
 * Sessions are made to lex strings as Redshift does (`standard_conforming_strings = off`, see
 * test/integration/sql-dialects.test.ts) and to run in UTC, as Redshift sessions do.
 */

export const REDSHIFT_SCHEMA = 'lakegate_redshift_test';
/** 1,499 generated rows and one whose id is 2^53 + 1 (not a safe JavaScript integer). */
export const REDSHIFT_ROW_COUNT = 1_500;
export const UNSAFE_ID = '9007199254740993';

export function redshiftPgConfig(): PoolConfig {
  return {
    host: process.env['PGHOST'] ?? '127.0.0.1',
    port: Number(process.env['PGPORT'] ?? 5432),
    user: process.env['PGUSER'] ?? 'postgres',
    database: process.env['PGDATABASE'] ?? 'postgres',
  };
}

/** What every connection to the stand-in runs first. */
export async function redshiftSession(client: ClientBase): Promise<void> {
  await client.query("SET standard_conforming_strings = off; SET escape_string_warning = off; SET TIME ZONE 'UTC'");
}

/** Connects, or says why not (the tests skip without PostgreSQL). */
export async function connectRedshiftStandIn(): Promise<Client | string> {
  const client = new pg.Client(redshiftPgConfig());
  try {
    await client.connect();
  } catch (error) {
    return `PostgreSQL not reachable: ${(error as Error).message}`;
  }
  client.on('error', () => undefined);
  await redshiftSession(client);
  return client;
}

/**
 * Deterministic rows: amounts with nulls (every 17th), channels with nulls and empty strings,
 * timestamps with millisecond fractions, and the unsafe id with the largest numeric(12,2).
 */
export async function createRedshiftLake(client: Client): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${REDSHIFT_SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${REDSHIFT_SCHEMA}`);
  await client.query(`CREATE TABLE ${REDSHIFT_SCHEMA}.transactions (
    transaction_id bigint NOT NULL, customer_id integer NOT NULL, amount numeric(12,2), currency text NOT NULL, channel text, ts timestamp NOT NULL)`);
  await client.query(`INSERT INTO ${REDSHIFT_SCHEMA}.transactions
    SELECT i, 1 + (i * 7) % 40,
      CASE WHEN i % 17 = 0 THEN NULL ELSE ((i * 3779) % 500000) / 100.0 END,
      (ARRAY['EUR', 'USD', 'JPY'])[i % 3 + 1],
      (ARRAY['web', 'app', 'store', NULL, 'web', ''])[i % 6 + 1],
      timestamp '2024-01-01 00:00:00' + i * interval '37 minutes' + (i % 4) * interval '250 milliseconds'
    FROM generate_series(1, ${REDSHIFT_ROW_COUNT - 1}) AS i`);
  await client.query(`INSERT INTO ${REDSHIFT_SCHEMA}.transactions VALUES (${UNSAFE_ID}, 41, 9999999999.99, 'EUR', NULL, timestamp '2024-12-31 23:59:59.999')`);
}

export async function dropRedshiftLake(client: Client): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${REDSHIFT_SCHEMA} CASCADE`);
}

/** Backends other than the caller's currently running a statement whose text contains `marker`. */
export async function activeBackends(client: Client, marker: string): Promise<number[]> {
  const result = await client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0",
    [marker],
  );
  return result.rows.map((row) => row.pid);
}

/** Waits until `check` holds (polling every 10 ms), failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
