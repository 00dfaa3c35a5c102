import { singular, toPascalCase } from '../../catalog/naming';

/** Names of the generated types of one dataset, in one place so none is spelled twice. */
export const typeNames = {
  struct: (parent: string, field: string): string => `${parent}${toPascalCase(field)}`,
  element: (parent: string, field: string): string => `${parent}${toPascalCase(singular(field))}`,
  mapEntry: (parent: string, field: string): string => `${parent}${toPascalCase(field)}Entry`,
  filter: (type: string): string => `${type}Filter`,
  orderBy: (type: string): string => `${type}OrderBy`,
  column: (type: string): string => `${type}Column`,
  timeColumn: (type: string): string => `${type}TimeColumn`,
  timeGroup: (type: string): string => `${type}TimeGroup`,
  aggregate: (type: string): string => `${type}Aggregate`,
  page: (type: string): string => `${type}Page`,
  aggregateKey: (type: string): string => `${type}AggregateKey`,
  aggregateOrderBy: (type: string): string => `${type}AggregateOrderBy`,
  measureGroup: (type: string, group: string): string => `${type}${toPascalCase(group)}`,
  measureOrderBy: (type: string, group: string): string => `${type}${toPascalCase(group)}OrderBy`,
};
