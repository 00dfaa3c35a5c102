import pg from 'pg';
import type { TestLake } from './lake';

/** The local PostgreSQL the Redshift tests stand on (the Data API emulator's backend, or Redshift-over-pg itself). */
export const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

/** A fresh database `database` holding the lake's sales tables in schema `schema` (named otherwise than the Glue database on purpose). */
export async function loadSalesIntoPostgres(lake: TestLake, database: string, schema: string): Promise<void> {
  await dropDatabase(database);
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ ...PG_ADMIN, database });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE ${schema}.customers (customer_id bigint, name text, email text, country text, segment text, created_at timestamp)`);
  await client.query(`CREATE TABLE ${schema}.transactions (transaction_id bigint, customer_id bigint, amount numeric(12,2), currency text, status text, channel text, ts timestamp, dt text)`);
  const insert = async (table: string, columns: string[], rows: Record<string, unknown>[]): Promise<void> => {
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500);
      const values = batch.map((_row, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, batch.flatMap((row) => columns.map((name) => row[name] ?? null)));
    }
  };
  await insert(`${schema}.customers`, ['customer_id', 'name', 'email', 'country', 'segment', 'created_at'], await lake.rawRows('customers'));
  await insert(`${schema}.transactions`, ['transaction_id', 'customer_id', 'amount', 'currency', 'status', 'channel', 'ts', 'dt'], await lake.rawRows('transactions'));
  await client.end();
}

export async function dropDatabase(database: string): Promise<void> {
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
