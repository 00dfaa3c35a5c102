import {
  CATALOG_ID,
  COLUMNS,
  DATABASE,
  TABLE,
  TAG_KEYS,
  TAG_VALUES,
  type CellsFilterSpec,
  type ColumnSpec,
  type Const,
  type PermissionSpec,
  type Pred,
  type Setup,
  type TagAssignment,
} from './lf-model';

/**
 * Renders a generated Lake Formation setup in the exact shapes the AWS CLI prints for
 * `list-permissions`, `list-data-cells-filter`, `list-lf-tags` and `get-resource-lf-tags`, and
 * prints row predicates as PartiQL text.
 */
export interface ExportFile {
  /** Relative to the lake folder. */
  readonly path: string;
  readonly document: unknown;
}

const PATHS = {
  permissions: 'lakeformation/list-permissions.json',
  dataCellsFilters: 'lakeformation/list-data-cells-filter.json',
  lfTags: 'lakeformation/list-lf-tags.json',
  resourceTags: `lakeformation/tags/${DATABASE}.${TABLE}.json`,
} as const;

function columnSelection(spec: ColumnSpec): Record<string, unknown> {
  return 'names' in spec ? { ColumnNames: [...spec.names] } : { ColumnWildcard: { ExcludedColumnNames: [...spec.excluded] } };
}

function catalog(permission: PermissionSpec, key = 'CatalogId'): Record<string, string> {
  return permission.omitCatalogId ? {} : { [key]: CATALOG_ID };
}

function resourceJson(permission: PermissionSpec, filters: readonly CellsFilterSpec[]): Record<string, unknown> {
  const resource = permission.resource;
  switch (resource.kind) {
    case 'table':
      return { Table: { ...catalog(permission), DatabaseName: DATABASE, Name: TABLE } };
    case 'tableWildcard':
      return { Table: { ...catalog(permission), DatabaseName: DATABASE, TableWildcard: {} } };
    case 'columns':
      return { TableWithColumns: { ...catalog(permission), DatabaseName: DATABASE, Name: TABLE, ...columnSelection(resource.columns) } };
    case 'cellsFilter':
      return {
        DataCellsFilter: { ...catalog(permission, 'TableCatalogId'), DatabaseName: DATABASE, TableName: TABLE, Name: filters[resource.filter]!.name },
      };
    case 'tagPolicy':
      return {
        LFTagPolicy: {
          ...catalog(permission),
          ResourceType: 'TABLE',
          Expression: resource.expression.map((pair) => ({ TagKey: pair.key, TagValues: [...pair.values] })),
        },
      };
  }
}

export function permissionsDocument(setup: Setup): unknown {
  return {
    PrincipalResourcePermissions: setup.permissions.map((permission) => ({
      Principal: { DataLakePrincipalIdentifier: permission.principal },
      Resource: resourceJson(permission, setup.filters),
      Permissions: [...permission.permissions],
      PermissionsWithGrantOption: [],
    })),
  };
}

export function dataCellsFiltersDocument(setup: Setup): unknown {
  return {
    DataCellsFilters: setup.filters.map((filter) => ({
      TableCatalogId: CATALOG_ID,
      DatabaseName: DATABASE,
      TableName: TABLE,
      Name: filter.name,
      RowFilter: filter.row === null ? { AllRowsWildcard: {} } : { FilterExpression: printPred(filter.row, filter.style) },
      ...columnSelection(filter.columns),
      VersionId: '0',
    })),
  };
}

function lfTagsDocument(): unknown {
  return { LFTags: TAG_KEYS.map((key) => ({ CatalogId: CATALOG_ID, TagKey: key, TagValues: [...TAG_VALUES[key]] })) };
}

function pairs(assigned: TagAssignment): { CatalogId: string; TagKey: string; TagValues: string[] }[] {
  return TAG_KEYS.flatMap((key) => {
    const value = assigned[key];
    return value === undefined ? [] : [{ CatalogId: CATALOG_ID, TagKey: key, TagValues: [value] }];
  });
}

/** `get-resource-lf-tags` for shop.items: effective tags at every level, or own tags only. */
export function resourceTagsDocument(setup: Setup): unknown {
  const { database, table, columns, style } = setup.tags;
  if (style === 'effective') {
    const onTable = { ...database, ...table };
    return {
      LFTagOnDatabase: pairs(database),
      LFTagsOnTable: pairs(onTable),
      LFTagsOnColumns: COLUMNS.map((name) => ({ Name: name, LFTags: pairs({ ...onTable, ...columns[name] }) })),
    };
  }
  return {
    LFTagOnDatabase: pairs(database),
    LFTagsOnTable: pairs(table),
    LFTagsOnColumns: COLUMNS.filter((name) => columns[name] !== undefined).map((name) => ({ Name: name, LFTags: pairs(columns[name]!) })),
  };
}

export function exportFiles(setup: Setup): ExportFile[] {
  return [
    { path: PATHS.permissions, document: permissionsDocument(setup) },
    { path: PATHS.dataCellsFilters, document: dataCellsFiltersDocument(setup) },
    { path: PATHS.lfTags, document: lfTagsDocument() },
    { path: PATHS.resourceTags, document: resourceTagsDocument(setup) },
  ];
}

export function emptyExports(): ExportFile[] {
  return exportFiles({ permissions: [], filters: [], tags: { database: {}, table: {}, columns: {}, style: 'assigned' } });
}

// ---------------------------------------------------------------------------------------------
// PartiQL printing. `style` seeds the layout choices: keyword case, quoted column names and
// redundant parentheses; precedence decides the parentheses that are needed.

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4 } as const;

class Layout {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32: true with probability about `p`. */
  chance(p: number): boolean {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    this.state >>>= 0;
    return this.state / 4294967296 < p;
  }

  keyword(word: string): string {
    return this.chance(0.25) ? word.toLowerCase() : word;
  }

  column(name: string): string {
    return this.chance(0.15) ? `"${name}"` : name;
  }
}

function constant(value: Const): string {
  return value.kind === 'string' ? `'${value.text.replace(/'/g, "''")}'` : value.text;
}

export function printPred(pred: Pred, style: number): string {
  return print(pred, 0, new Layout(style));
}

function print(pred: Pred, parent: number, layout: Layout): string {
  let own: number;
  let text: string;
  switch (pred.kind) {
    case 'or':
    case 'and':
      own = PRECEDENCE[pred.kind];
      text = pred.args.map((arg) => print(arg, own, layout)).join(` ${layout.keyword(pred.kind.toUpperCase())} `);
      break;
    case 'not':
      if ((pred.arg.kind === 'in' || pred.arg.kind === 'between' || pred.arg.kind === 'like') && layout.chance(0.4)) {
        // `col NOT IN (...)`, `col NOT BETWEEN a AND b`, `col NOT LIKE 'p'`: the same predicate.
        own = PRECEDENCE.atom;
        text = atom(pred.arg, layout, true);
        break;
      }
      own = PRECEDENCE.not;
      text = `${layout.keyword('NOT')} ${print(pred.arg, own, layout)}`;
      break;
    default:
      own = PRECEDENCE.atom;
      text = atom(pred, layout);
  }
  const needed = own < parent;
  return needed || layout.chance(0.1) ? `(${text})` : text;
}

function atom(pred: Pred, layout: Layout, negated = false): string {
  const not = negated ? `${layout.keyword('NOT')} ` : '';
  switch (pred.kind) {
    case 'cmp':
      return `${layout.column(pred.col)} ${pred.op} ${constant(pred.value)}`;
    case 'in':
      return `${layout.column(pred.col)} ${not}${layout.keyword('IN')} (${pred.values.map(constant).join(', ')})`;
    case 'between':
      return `${layout.column(pred.col)} ${not}${layout.keyword('BETWEEN')} ${constant(pred.low)} ${layout.keyword('AND')} ${constant(pred.high)}`;
    case 'isNull':
      return `${layout.column(pred.col)} ${layout.keyword('IS')} ${pred.negated ? `${layout.keyword('NOT')} ` : ''}${layout.keyword('NULL')}`;
    case 'like':
      return `${layout.column(pred.col)} ${not}${layout.keyword('LIKE')} ${constant({ kind: 'string', text: pred.pattern })}`;
    default:
      throw new Error(`not an atom: ${pred.kind}`);
  }
}
