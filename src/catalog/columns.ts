import type { ValueType } from '../query/types';
import { toCamelCase } from './naming';
import type { ColumnRef, Dataset, DatasetColumn, HiveType } from './types';

/** Look-ups over a dataset's columns, shared by the schema builder and the planner. */

export function columnByField(dataset: Dataset, field: string): DatasetColumn | undefined {
  return dataset.columns.find((col) => col.field === field);
}

export function columnByName(dataset: Dataset, name: string): DatasetColumn | undefined {
  return dataset.columns.find((col) => col.name === name);
}

export function scalarValue(type: HiveType): ValueType | null {
  return type.kind === 'scalar' ? type.value : null;
}

export function scalarColumns(dataset: Dataset): DatasetColumn[] {
  return dataset.columns.filter((col) => col.type.kind === 'scalar');
}

export function isNumeric(value: ValueType): boolean {
  return ['int', 'bigint', 'float', 'double', 'decimal'].includes(value.kind);
}

export function isTemporal(value: ValueType): boolean {
  return value.kind === 'date' || value.kind === 'timestamp';
}

/** Ordered values: everything but booleans (min/max of a boolean says little). */
export function isOrdered(value: ValueType): boolean {
  return value.kind !== 'boolean';
}

/**
 * A column or struct path as an operator writes it (`amount`, `device.os`), by catalog names or
 * GraphQL field names: the catalog path and its scalar type, or why it does not resolve.
 */
export function resolveColumnRef(dataset: Dataset, text: string): { ref: ColumnRef; fields: readonly string[] } | { error: string } {
  const [head = '', ...rest] = text.split('.');
  const col = columnByName(dataset, head) ?? columnByField(dataset, head);
  if (!col) return { error: `no column "${head}" in dataset "${dataset.name}"` };
  const path = [col.name];
  const fields = [col.field];
  let type = col.type;
  for (const part of rest) {
    const field = type.kind === 'struct' ? type.fields.find((candidate) => candidate.name === part || toCamelCase(candidate.name) === part) : undefined;
    if (!field) return { error: `"${path.join('.')}" has no field "${part}"` };
    path.push(field.name);
    fields.push(toCamelCase(field.name));
    type = field.type;
  }
  if (type.kind !== 'scalar') return { error: `"${text}" is a ${type.kind}, not a scalar value` };
  return { ref: { path, type: type.value }, fields };
}
