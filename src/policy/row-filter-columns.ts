import type { GlueTable, HiveType } from '../catalog/types';
import { column } from '../query/expr';
import type { ColumnPath, ValueType } from '../query/types';
import { RowFilterError } from './row-filter-lexer';

/** One segment of a column reference as written: `device`, `"os"`. */
export interface NamePart {
  readonly name: string;
  readonly start: number;
}

/** A column reference checked against the table: Glue spelling, scalar type, partition flag. */
export interface ResolvedColumn {
  readonly path: ColumnPath;
  /** Dotted Glue path, for messages: `device.os`. */
  readonly label: string;
  readonly type: ValueType;
  /** The Hive type text, for messages: `decimal(12,2)`, `tinyint`. */
  readonly typeText: string;
  readonly partitionKey: boolean;
}

interface Named {
  readonly name: string;
  readonly type: HiveType;
}

/** Exact spelling first, then case-insensitive (Glue stores names in lower case). */
function findByName<T extends Named>(items: readonly T[], name: string): T | undefined {
  return items.find((item) => item.name === name) ?? items.find((item) => item.name.toLowerCase() === name.toLowerCase());
}

/** True when `name` is a top-level column of the table (used to reject column-to-column tests). */
export function isTableColumn(table: GlueTable, name: string): boolean {
  return findByName(table.columns, name) !== undefined;
}

/**
 * Resolves `col` or `col.field.field` to a scalar leaf. Arrays and maps may not be referenced
 * anywhere on the path, and a struct must be followed down to one of its scalar fields.
 */
export function resolveColumn(parts: readonly NamePart[], table: GlueTable): ResolvedColumn {
  const [head, ...fields] = parts;
  if (!head) throw new RowFilterError('expected a column name', 0);
  const top = findByName(table.columns, head.name);
  if (!top) throw new RowFilterError(`unknown column "${head.name}"`, head.start);
  const path = [top.name];
  let type = top.type;
  for (const part of fields) {
    checkNotCollection(type, path, head.start);
    if (type.kind !== 'struct') {
      throw new RowFilterError(`column "${path.join('.')}" is not a struct and has no field "${part.name}"`, part.start);
    }
    const field = findByName(type.fields, part.name);
    if (!field) throw new RowFilterError(`unknown field "${part.name}" in "${path.join('.')}"`, part.start);
    path.push(field.name);
    type = field.type;
  }
  checkNotCollection(type, path, head.start);
  if (type.kind !== 'scalar') {
    throw new RowFilterError(`struct column "${path.join('.')}" cannot be compared; name one of its fields`, head.start);
  }
  return {
    path: column(...path),
    label: path.join('.'),
    type: type.value,
    typeText: type.text,
    partitionKey: top.partitionKey,
  };
}

function checkNotCollection(type: HiveType, path: readonly string[], start: number): void {
  if (type.kind === 'array' || type.kind === 'map') {
    throw new RowFilterError(`${type.kind} column "${path.join('.')}" cannot be used in a row filter`, start);
  }
}
