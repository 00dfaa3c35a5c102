import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printSchema } from 'graphql';
import pino, { type Logger } from 'pino';
import { signDevToken } from './auth/dev-token';
import { mapClaimsToPrincipals } from './auth/principals';
import type { Catalog } from './catalog/types';
import { resolveHs256Secret } from './auth/secret';
import { formatIssue, loadConfig, type LoadedConfig } from './config/load';
import { createPolicyStore } from './policy/store';
import { generateSampleLake, refreshSampleCatalog } from './sample/generate';
import { bufferedStdout } from './observability/log-destination';
import { logProcessOutput } from './observability/process-output';
import { startTracing } from './observability/tracing-sdk';
import { buildLakeSchema } from './schema/build';
import { createLakegate, DEV_SECRET_FILE, type Lakegate } from './server/app';

const SAMPLE_DIR = path.resolve('.lake', 'sample');
const SAMPLE_CONFIG = path.join(SAMPLE_DIR, 'lakegate.yaml');
const SAMPLE_ROWS = 100_000;

const USAGE = `Usage: lakegate <command> [options]

Commands:
  serve         start the API (default config: the generated sample lake)
  generate      write the sample lake            [--out DIR] [--rows N] [--seed N]
  token         print a dev token (local mode)   --role NAME
  check-config  validate the configuration and exit
  schema        print the GraphQL schema (SDL)   [--role NAME: as that dev role sees it]

Options:
  --config FILE   curation file (or env LAKEGATE_CONFIG; default ${path.relative(process.cwd(), SAMPLE_CONFIG)})
Environment: PORT (4000), HOST (localhost), LOG_LEVEL (info), LAKEGATE_JWT_SECRET,
  LAKEGATE_METRICS_TOKEN (a bearer token for /metrics), OTEL_* (traces; off by default)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      role: { type: 'string' },
      out: { type: 'string' },
      rows: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const configFile = values.config ?? process.env['LAKEGATE_CONFIG'] ?? SAMPLE_CONFIG;
  switch (command) {
    case 'generate': {
      const out = path.resolve(values.out ?? SAMPLE_DIR);
      await generateSampleLake({ outDir: out, rows: positiveInt(values.rows, SAMPLE_ROWS, '--rows'), seed: positiveInt(values.seed, 42, '--seed') });
      process.stderr.write(`sample lake written to ${out}\n`);
      return 0;
    }
    case 'serve':
      return serve(await load(configFile));
    case 'token': {
      const loaded = await load(configFile);
      if (!values.role) throw new UsageError('token needs --role NAME');
      const secret = resolveHs256Secret(loaded.config.auth, process.env, path.join(loaded.dir, DEV_SECRET_FILE));
      if (!secret) throw new UsageError('no HS256 secret: set the variable named by auth.hs256SecretEnv');
      const role = values.role;
      const token = tryOrUsageError(() => signDevToken(loaded.config.auth, secret, role));
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case 'check-config': {
      const loaded = await load(configFile);
      for (const warning of loaded.warnings) process.stderr.write(`warning: ${formatIssue(warning)}\n`);
      process.stderr.write(`${loaded.file}: ok (${loaded.catalog.datasets.length} datasets, ${loaded.catalog.kpis.length} KPIs, ${loaded.catalog.tables.length} tables)\n`);
      return 0;
    }
    case 'schema': {
      const loaded = await load(configFile);
      const catalog = values.role ? roleCatalog(loaded, values.role) : loaded.catalog;
      process.stdout.write(`${printSchema(await buildLakeSchema(catalog))}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

/**
 * Loads the configuration. The sample lake is generated on first use of the default config, and
 * its generated catalog files are brought up to this version's (its data stays).
 */
async function load(configFile: string): Promise<LoadedConfig> {
  if (path.resolve(configFile) === SAMPLE_CONFIG && !existsSync(SAMPLE_CONFIG)) {
    process.stderr.write(`generating the sample lake (${SAMPLE_ROWS} transactions) in ${SAMPLE_DIR} ...\n`);
    await generateSampleLake({ outDir: SAMPLE_DIR, rows: SAMPLE_ROWS });
  } else if (path.resolve(configFile) === SAMPLE_CONFIG && await refreshSampleCatalog(SAMPLE_DIR)) {
    process.stderr.write(`updated the sample lake's generated catalog files (${path.relative(process.cwd(), SAMPLE_DIR)}/lakegate.yaml, glue/, lakeformation/) to this version; its data is unchanged\n`);
  }
  const result = loadConfig(configFile);
  if (!result.value) throw new ConfigError(result.issues.map(formatIssue));
  return result.value;
}

/**
 * From here on every line the process writes is JSON (pino): Node's warnings and a crash too.
 * Tracing starts before the app, so its first spans are exported, and stops after it.
 */
async function serve(loaded: LoadedConfig): Promise<number> {
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' }, bufferedStdout());
  logProcessOutput(logger);
  const port = positiveInt(process.env['PORT'], 4000, 'PORT');
  const tracing = await startTracing(process.env, logger);
  const lakegate = await startServing(loaded, logger, port);
  const code = lakegate ? await serveUntilSignalled(lakegate, logger) : 1;
  await tracing?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'tracing: could not export the last spans'));
  return code;
}

/** The app, listening; null (logged) when it cannot start. */
async function startServing(loaded: LoadedConfig, logger: Logger, port: number): Promise<Lakegate | null> {
  try {
    const lakegate = await createLakegate({ loaded, logger, env: process.env });
    const url = await lakegate.listen(port, process.env['HOST'] ?? 'localhost');
    logger.info({ url: `${url}/graphql`, dashboard: `${url}/dashboard`, config: loaded.file }, 'Lakegate is serving; open the playground or the dashboard in a browser');
    return lakegate;
  } catch (error) {
    logger.fatal({ err: error }, 'Lakegate could not start');
    return null;
  }
}

/** Serves until SIGTERM/SIGINT, then stops gracefully; SIGHUP re-reads the permissions. Resolves to the exit code. */
function serveUntilSignalled(lakegate: Lakegate, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    const shutdown = (signal: string): void => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      lakegate.stop().then(() => resolve(0), (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        resolve(1);
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGHUP', () => void lakegate.reloadPermissions());
  });
}

/** The catalog cut to what a dev role's principals may read under the configured Lake Formation files. */
function roleCatalog(loaded: LoadedConfig, role: string): Catalog {
  const claims = loaded.config.auth.devRoles[role];
  if (!claims) throw new UsageError(`unknown dev role "${role}"; known roles: ${Object.keys(loaded.config.auth.devRoles).join(', ')}`);
  const settings = loaded.config.lakeFormation;
  if (!settings) return loaded.catalog;
  if (!loaded.lakeFormation) throw new UsageError('schema --role reads Lake Formation export files; live mode is not supported here');
  const store = createPolicyStore(loaded.catalog, settings.catalogId);
  store.update(loaded.lakeFormation);
  return store.entitlementFor(mapClaimsToPrincipals(claims, loaded.config.auth.principals)).catalog;
}

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`${name} must be a whole number (got "${text}")`);
  return value;
}

class UsageError extends Error {}

/** Expected refusals (an unknown role, say) are usage errors: a message, not a stack trace. */
function tryOrUsageError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super('invalid configuration');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`The configuration has ${error.lines.length} problem(s); nothing was started:\n${error.lines.map((line) => `  - ${line}`).join('\n')}\n`);
    } else if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
