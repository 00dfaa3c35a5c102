import { z } from 'zod';
import { parseHiveType } from './hive-type';
import type { GlueColumn, GlueTable, Issue, Staged, StorageFormat } from './types';

/** The subset of `aws glue get-tables` output Lakegate reads; other keys are ignored. */
const glueColumn = z.object({ Name: z.string().min(1), Type: z.string().min(1), Comment: z.string().optional() });
const glueTable = z.object({
  Name: z.string().min(1),
  DatabaseName: z.string().min(1),
  Description: z.string().optional(),
  Parameters: z.record(z.string(), z.string()).optional(),
  StorageDescriptor: z.object({
    Columns: z.array(glueColumn),
    Location: z.string().min(1),
    InputFormat: z.string().optional(),
    SerdeInfo: z.object({ SerializationLibrary: z.string().optional() }).passthrough().optional(),
  }).passthrough(),
  PartitionKeys: z.array(glueColumn).optional(),
}).passthrough();
const getTablesOutput = z.object({ TableList: z.array(glueTable) }).passthrough();

type RawTable = z.infer<typeof glueTable>;

/** Parses one `get-tables` document; `source` names the file in every issue. */
export function parseGlueTables(document: unknown, source: string): Staged<GlueTable[]> {
  const parsed = getTablesOutput.safeParse(document);
  if (!parsed.success) {
    return {
      value: [],
      issues: parsed.error.issues.map((issue) => ({ file: source, path: formatZodPath(issue.path), message: issue.message })),
    };
  }
  const issues: Issue[] = [];
  const tables = parsed.data.TableList.flatMap((raw, index) => {
    const table = toGlueTable(raw, `TableList[${index}]`, source, issues);
    return table ? [table] : [];
  });
  return { value: tables, issues };
}

function toGlueTable(raw: RawTable, path: string, file: string, issues: Issue[]): GlueTable | null {
  const format = detectFormat(raw);
  if (!format) {
    issues.push({ file, path: `${path}.StorageDescriptor`, message: `cannot tell the storage format of ${raw.DatabaseName}.${raw.Name} (expected Parquet, JSON or CSV)` });
    return null;
  }
  const columns: GlueColumn[] = [];
  const seen = new Set<string>();
  const addColumns = (list: readonly z.infer<typeof glueColumn>[], listPath: string, partitionKey: boolean): void => {
    list.forEach((col, index) => {
      const colPath = `${listPath}[${index}]`;
      const type = parseHiveType(col.Type);
      if (!type.ok) {
        issues.push({ file, path: `${colPath}.Type`, message: type.error });
        return;
      }
      const key = col.Name.toLowerCase();
      if (seen.has(key)) {
        issues.push({ file, path: `${colPath}.Name`, message: `duplicate column "${col.Name}"` });
        return;
      }
      seen.add(key);
      columns.push({ name: col.Name, type: type.type, typeText: col.Type, comment: col.Comment ?? null, partitionKey });
    });
  };
  addColumns(raw.StorageDescriptor.Columns, `${path}.StorageDescriptor.Columns`, false);
  addColumns(raw.PartitionKeys ?? [], `${path}.PartitionKeys`, true);
  return {
    database: raw.DatabaseName,
    name: raw.Name,
    description: raw.Description ?? null,
    location: raw.StorageDescriptor.Location,
    format,
    columns,
  };
}

function detectFormat(raw: RawTable): StorageFormat | null {
  const hints = [
    raw.Parameters?.['classification'],
    raw.StorageDescriptor.InputFormat,
    raw.StorageDescriptor.SerdeInfo?.SerializationLibrary,
  ].map((hint) => (hint ?? '').toLowerCase());
  if (hints.some((hint) => hint.includes('parquet'))) return 'parquet';
  if (hints.some((hint) => hint.includes('json'))) return 'json';
  if (hints.some((hint) => hint === 'csv' || hint.includes('lazysimpleserde') || hint.includes('opencsv'))) return 'csv';
  return null;
}

export function formatZodPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}
