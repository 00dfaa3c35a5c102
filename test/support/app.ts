import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import { signDevToken } from '../../src/auth/dev-token';
import { formatIssue, loadConfig, type LoadedConfig } from '../../src/config/load';
import type { LimitsConfig } from '../../src/config/schema';
import type { Engine } from '../../src/datasources/types';
import { createLakegate, DEV_SECRET_FILE, type Lakegate } from '../../src/server/app';
import type { EngineClients } from '../../src/server/engines';
import { createTestLake, type TestLake } from './lake';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/**
 * Per-caller counters of this test process: dev tokens share their subjects across processes, and
 * several test runs may share one Redis. Its keys expire on their own (a test that shares counters
 * between app instances sets its own prefix and deletes its keys).
 */
const LIMITS_PREFIX = `lakegate:rl:test-${process.pid}-${randomBytes(4).toString('hex')}:`;

/** An app served from a configuration file of the test's own. */
export interface ConfiguredApp {
  readonly lakegate: Lakegate;
  readonly loaded: LoadedConfig;
  token(role?: string): string;
  /** The embedded engine the sample lake is served by. */
  localEngine(): Engine;
  /** POSTs a GraphQL operation as `role`; resolves to the supertest response. */
  graphql(query: string, variables?: Record<string, unknown>, role?: string): Promise<request.Response>;
  close(): Promise<void>;
}

/** An app over a freshly generated sample lake (or a shared one). */
export interface TestApp extends ConfiguredApp {
  readonly lake: TestLake;
}

export interface TestAppOptions {
  readonly rows?: number;
  /** Serve this lake (shared with other apps: replicas) instead of generating one; closing the app leaves it. */
  readonly lake?: TestLake;
  readonly limits?: Partial<LimitsConfig>;
  readonly logger?: Logger;
  readonly decorateEngine?: (engine: Engine) => Engine;
  /** Adjusts the loaded configuration before the app starts (e.g. to switch to live Lake Formation). */
  readonly configure?: (loaded: LoadedConfig) => LoadedConfig;
  readonly lakeFormationClient?: LakeFormationClient;
  /** SDK clients for AWS engines, made once the (configured) lake exists, e.g. against an emulator over it. */
  readonly engineClients?: (loaded: LoadedConfig) => Promise<EngineClients>;
  /** Environment variables besides the JWT secret (e.g. LAKEGATE_METRICS_TOKEN). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Local mode: the HS256 secret comes from the dev secret file beside the configuration (holding
   * TEST_SECRET, so `token()` still signs valid tokens) instead of LAKEGATE_JWT_SECRET.
   */
  readonly localMode?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const lake = options.lake ?? await createTestLake(options.rows);
  const app = await startConfiguredApp(lake.configFile, options);
  return {
    ...app,
    lake,
    close: async () => {
      await app.close();
      if (!options.lake) lake.remove();
    },
  };
}

/** Starts the app on `configFile` as it is (with the options' adjustments); closing it leaves the files. */
export async function startConfiguredApp(configFile: string, options: Omit<TestAppOptions, 'rows' | 'lake'> = {}): Promise<ConfiguredApp> {
  const result = loadConfig(configFile);
  if (!result.value) throw new Error(result.issues.map(formatIssue).join('\n'));
  const { config } = result.value;
  const patched = { ...result.value, config: { ...config, limits: { ...config.limits, redisKeyPrefix: LIMITS_PREFIX, ...options.limits } } };
  const loaded = { value: options.configure ? options.configure(patched) : patched };
  if (options.localMode) writeFileSync(path.join(loaded.value.dir, DEV_SECRET_FILE), `${TEST_SECRET}\n`, { mode: 0o600 });
  const env = options.localMode ? { ...options.env } : { ...options.env, LAKEGATE_JWT_SECRET: TEST_SECRET };
  const lakegate = await createLakegate({
    loaded: loaded.value,
    logger: options.logger ?? pino({ level: 'silent' }),
    env,
    ...(options.decorateEngine ? { decorateEngine: options.decorateEngine } : {}),
    ...(options.lakeFormationClient ? { lakeFormationClient: options.lakeFormationClient } : {}),
    ...(options.engineClients ? { engineClients: await options.engineClients(loaded.value) } : {}),
  });
  const token = (role = 'engineer'): string => signDevToken(config.auth, TEST_SECRET, role);
  return {
    lakegate,
    loaded: loaded.value,
    token,
    localEngine: () => lakegate.engines.get('local')!,
    graphql: (query, variables = {}, role = 'engineer') =>
      request(lakegate.app).post('/graphql').set('Authorization', `Bearer ${token(role)}`).send({ query, variables }),
    close: () => lakegate.stop(),
  };
}
