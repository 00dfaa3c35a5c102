import path from 'node:path';
import { formatIssue, loadConfig } from '../../src/config/load';
import { startAthenaEmulator, type AthenaEmulator } from '../emulators/athena';

/** The Athena emulator over a test lake: its Glue tables, read from the lake's files as the embedded engine reads them. */
export async function startAthenaOverLake(configFile: string): Promise<AthenaEmulator> {
  const loaded = loadConfig(configFile);
  if (!loaded.value) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const local = loaded.value.config.engines.local!;
  return startAthenaEmulator({ tables: loaded.value.catalog.tables, lakePath: path.resolve(loaded.value.dir, local.lakePath), s3Prefix: local.s3Prefix });
}
