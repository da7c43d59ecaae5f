import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** null: start the embedded PostgreSQL under `dataDir` */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  migrateOnStart: boolean;
  logLevel: LogLevel;
  redisUrl: string | null;
  signUpEnabled: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * `maxCost`: most fields a response may hold by estimate, lists counted once per item they may
   * return (`first`/`last`, else a default); see src/graphql/limits/query-cost.ts. The body limit
   * also bounds every graphql-ws message.
   */
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number; maxBodyBytes: number; maxUploadBytes: number };
  /** `__schema`/`__type` without a credential (the schema is public in the repository anyway) */
  anonymousIntrospection: boolean;
  /** "Did you mean …?" suggestions in validation errors */
  fieldSuggestions: boolean;
  /** job workers in this process (0 = off); a RUNNING job whose heartbeat is older than `leaseMs` is recovered */
  workers: { concurrency: number; leaseMs: number; pollIntervalMs: number };
  httpAllowList: string[];
  publicUrl: string | null;
  /** adds `x-sql-statements` to responses (tests and benchmarks) */
  exposeStatementCount: boolean;
  /** requests per minute per caller (credential, or address when anonymous); 0 turns it off */
  rateLimitPerMinute: number;
  /** GET /metrics in Prometheus format (unauthenticated: counts across all workspaces) */
  metricsEnabled: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // the value is not echoed: URLs carry passwords
    throw new ConfigError(`${name} must be a URL such as ${protocols[0]}//host:port/…`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/** Reads and validates the environment; throws ConfigError with one line naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  return {
    port: int(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.FORMGRAPH_DATA_DIR || '.data'),
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    signUpEnabled: bool(env, 'SIGNUP_ENABLED', true),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 7200, 1),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 1),
    limits: {
      maxDepth: int(env, 'MAX_QUERY_DEPTH', 12, 1),
      maxAliases: int(env, 'MAX_QUERY_ALIASES', 30, 1),
      maxTokens: int(env, 'MAX_QUERY_TOKENS', 2000, 1),
      maxCost: int(env, 'MAX_QUERY_COST', 50_000, 1),
      maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024, 1),
      maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 10 * 1024 * 1024, 1),
    },
    workers: {
      concurrency: int(env, 'WORKER_CONCURRENCY', 2, 0, 64),
      leaseMs: int(env, 'JOB_LEASE_MS', 60_000, 500),
      pollIntervalMs: int(env, 'WORKER_POLL_INTERVAL_MS', 2000, 50),
    },
    anonymousIntrospection: bool(env, 'ANONYMOUS_INTROSPECTION', true),
    fieldSuggestions: bool(env, 'FIELD_SUGGESTIONS', true),
    httpAllowList: (env.HTTP_TASK_ALLOW_LIST ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']),
    exposeStatementCount: bool(env, 'EXPOSE_SQL_STATEMENT_COUNT', false),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 3000, 0),
    metricsEnabled: bool(env, 'METRICS_ENABLED', false),
  };
}
