import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { curationYaml, glueFileName } from './curation';
import { glueGetTablesJson } from './glue';
import { writeLakeFormationExports } from './lakeformation';
import { SAMPLE_DATABASES, SAMPLE_TABLES } from './tables';
import { EMPLOYEE_COUNT } from './vocabulary';
import { writeSampleData, type SampleSizes } from './write';

/**
 * Generates the deterministic sample lake: Parquet and JSON files, the Glue catalog that
 * describes them and a `lakegate.yaml` that exposes them. Everything is set-based DuckDB SQL,
 * so ten million transactions take seconds, not minutes. The lake is built in a sibling
 * staging folder and renamed into place, so an interrupted run never leaves half a lake.
 */

export interface GenerateOptions {
  outDir: string;
  /** Number of transactions (and of web events); the other tables scale from it. */
  rows: number;
  /** Same (rows, seed), same lake. Default 42. */
  seed?: number;
}

export type { SampleSizes } from './write';

export const DEFAULT_SEED = 42;

export function sampleSizes(rows: number): SampleSizes {
  return {
    customers: Math.max(50, Math.floor(rows / 20)),
    transactions: rows,
    events: rows,
    employees: EMPLOYEE_COUNT,
    cloudtrail: Math.max(100, Math.floor(rows / 10)),
  };
}

export async function generateSampleLake(options: GenerateOptions): Promise<void> {
  const sizes = sampleSizes(checkRows(options.rows));
  const seed = checkSeed(options.seed ?? DEFAULT_SEED);
  const outDir = path.resolve(options.outDir);
  await mkdir(path.dirname(outDir), { recursive: true });
  // A sibling, so the final rename stays on one filesystem and is atomic.
  const staging = await mkdtemp(`${outDir}.tmp-`);
  try {
    await writeSampleData(staging, sizes, seed);
    await writeCatalog(staging);
    await replaceFolder(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function checkRows(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  return rows;
}

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return seed;
}

/**
 * Rewrites an existing sample lake's generated catalog files (curation, Glue, Lake Formation)
 * when this version writes them differently, keeping its data: a sample made by an older version
 * gains the new datasets and KPIs. True when it rewrote them.
 */
export async function refreshSampleCatalog(root: string): Promise<boolean> {
  const current = await readFile(path.join(root, 'lakegate.yaml'), 'utf8').catch(() => null);
  if (current === curationYaml()) return false;
  await writeCatalog(root);
  return true;
}

async function writeCatalog(root: string): Promise<void> {
  await mkdir(path.join(root, 'glue'), { recursive: true });
  for (const database of SAMPLE_DATABASES) {
    const document = glueGetTablesJson(database, SAMPLE_TABLES);
    await writeFile(path.join(root, glueFileName(database)), `${JSON.stringify(document, null, 4)}\n`);
  }
  await writeLakeFormationExports(root);
  await writeFile(path.join(root, 'lakegate.yaml'), curationYaml());
}

/** Moves `staging` to `target`, replacing any previous lake only once the new one is complete. */
async function replaceFolder(staging: string, target: string): Promise<void> {
  const previous = `${staging}.old`;
  const hadPrevious = await renameIfExists(target, previous);
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadPrevious) await rename(previous, target);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
