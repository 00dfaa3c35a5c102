import type { IncomingMessage, ServerResponse } from 'node:http';
import { getNamedType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Principal } from '../../auth/types';
import type { Catalog } from '../../catalog/types';
import { countErrors, type LakegateMetrics } from '../../observability/metrics';
import type { PlannerContext } from '../../planner/context';
import { openExport, planExport } from '../../planner/export';
import { collectFields } from '../../planner/selection';
import type { Entitlement } from '../../policy/entitlement';
import { admitCaller, type CallerChecks } from '../http/admit-caller';
import { abortedOnClose } from '../http/graphql-route';
import { refusal, sendRefusal, type Refusal } from '../http/refusal';
import type { DocumentLimits } from '../limits/violation';
import { addLogFields } from '../request-log';
import { exportColumns } from './columns';
import { checkExportDocument } from './document';
import { exportFailure, exportRefusal } from './errors';
import { exportEncoder } from './formats';
import { readExportRequest } from './request';
import { ROWS_TRAILER, writeExport } from './write';

export interface ExportRouteOptions extends CallerChecks {
  readonly entitlementFor: (principals: readonly string[]) => Entitlement;
  /** The caller's schema: the export's document is validated against it. */
  readonly schemaFor: (key: string, catalog: Catalog) => Promise<GraphQLSchema>;
  /** The planner context of one export; `signal` aborts when the client leaves. */
  readonly plannerFor: (principal: Principal, entitlement: Entitlement, signal: AbortSignal) => PlannerContext;
  readonly limits: DocumentLimits;
  readonly metrics: LakegateMetrics;
}

/**
 * `GET|POST /export?format=csv|ndjson`: every row of one dataset list field, streamed from the
 * engine at constant memory. Token, request rate, document limits, the caller's schema and Lake
 * Formation view, partition filter and bytes budget as for /graphql; anything refused before the
 * first row is the JSON error body with /graphql's status.
 */
export function exportRoute(options: ExportRouteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { metrics, logger } = options;
  return (req, res) => {
    metrics.requestsInFlight.inc();
    res.once('close', () => metrics.requestsInFlight.dec());
    const refuse = (answer: Refusal): void => {
      countErrors(metrics, answer.body.errors);
      sendRefusal(res, answer);
    };
    serveExport(options, req, res, refuse).catch((error: unknown) => {
      logger.error({ err: error }, 'unexpected error in an export');
      if (res.headersSent) res.destroy();
      else refuse(refusal(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    });
  };
}

async function serveExport(options: ExportRouteOptions, req: IncomingMessage, res: ServerResponse, refuse: (answer: Refusal) => void): Promise<void> {
  const caller = await admitCaller(options, req);
  if (!caller.ok) return refuse(caller.refusal);
  const { principal } = caller;
  const read = await readExportRequest(req);
  if (!read.ok) return refuse(read.refusal);
  const entitlement = options.entitlementFor(principal.principals);
  const schema = await options.schemaFor(entitlement.key, entitlement.catalog);
  const checked = checkExportDocument(schema, read.value, options.limits);
  if (!checked.ok) return refuse(exportRefusal(checked.error, options.logger));
  const { datasetName, field, nodes, args, scope } = checked.value;
  const dataset = entitlement.catalog.datasets.find((candidate) => candidate.name === datasetName)!;
  const context = options.plannerFor(principal, entitlement, abortedOnClose(res));
  let opened;
  let columns;
  try {
    columns = exportColumns(getNamedType(field.type) as GraphQLObjectType, nodes, scope);
    opened = await openExport(planExport(dataset, args, collectFields(nodes, scope), context.limits), dataset, context);
  } catch (error) {
    return refuse(exportRefusal(error, options.logger));
  }
  const encoder = exportEncoder(read.value.format, columns);
  const summary = { dataset: dataset.name, format: read.value.format, engine: opened.engine, queryId: opened.queryId, subject: principal.subject };
  res.writeHead(200, {
    'content-type': encoder.contentType,
    'content-disposition': `attachment; filename="${dataset.name}-${utcStamp(new Date())}.${encoder.extension}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    trailer: ROWS_TRAILER,
  });
  await writeExport(res, opened, encoder, (error) => exportFailure(error, options.logger), (written) => addLogFields(res, { export: { ...summary, ...written } }));
}

/** `20240301T120000Z`: sortable, and safe in a file name. */
function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}
