import type { ValueType } from '../query/types';
import type { Dataset, DatasetColumn, HiveType } from './types';

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
