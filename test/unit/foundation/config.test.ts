import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

describe('loadConfig', () => {
  it('has defaults that start a local server on the embedded database', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: null,
      dataDir: path.resolve('.data'),
      embeddedPgPort: 54329,
      migrateOnStart: true,
      logLevel: 'info',
      redisUrl: null,
      signUpEnabled: true,
      accessTokenTtlSeconds: 7200,
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      limits: { maxDepth: 12, maxAliases: 30, maxTokens: 2000, maxBodyBytes: 1024 * 1024, maxUploadBytes: 10 * 1024 * 1024 },
      exposeStatementCount: false,
    });
  });

  it('reads what it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u:p@db:5432/formgraph',
      FORMGRAPH_DATA_DIR: '/var/lib/formgraph',
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://cache:6379',
      SIGNUP_ENABLED: 'no',
      ACCESS_TOKEN_TTL_SECONDS: '60',
      MAX_QUERY_DEPTH: '7',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u:p@db:5432/formgraph',
      dataDir: '/var/lib/formgraph',
      migrateOnStart: false,
      logLevel: 'debug',
      redisUrl: 'redis://cache:6379',
      signUpEnabled: false,
      accessTokenTtlSeconds: 60,
      limits: expect.objectContaining({ maxDepth: 7 }),
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['EMBEDDED_PG_PORT', '0'],
    ['LOG_LEVEL', 'loud'],
    ['MIGRATE_ON_START', 'maybe'],
    ['SIGNUP_ENABLED', '2'],
    ['ACCESS_TOKEN_TTL_SECONDS', '0'],
    ['MAX_QUERY_DEPTH', '0'],
    ['MAX_BODY_BYTES', 'lots'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.startsWith(`${name} `)).toBe(true);
    expect((error as Error).message).toContain(value);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    ['DATABASE_URL', 'mysql://app:s3cret@localhost/db'],
    ['DATABASE_URL', 'postgresql//app:s3cret@localhost/db'],
    ['REDIS_URL', 'http://:s3cret@localhost:6379'],
    ['PUBLIC_URL', 'ftp://user:s3cret@example.com'],
  ])('refuses %s=%s naming the variable, without echoing the URL (it may hold a password)', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must `));
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
    }
  });
});

describe('the server process with a bad configuration', () => {
  it('exits with code 2 and one clear line naming the variable', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc' };
    delete env.DATABASE_URL;
    const result = await run(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: root, env }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result?.code).toBe(2);
    expect(result?.stdout).toBe('');
    expect(result?.stderr).toBe('formgraph: configuration error: PORT must be an integer between 0 and 65535, got "abc"\n');
  }, 30_000);
});

describe('README.md', () => {
  it('documents every variable src/config.ts reads', () => {
    const source = fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const names = new Set([...source.matchAll(/\benv(?:\.|, ')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
    expect(names.size).toBeGreaterThan(15);
    const missing = [...names].filter((name) => !readme.includes(`\`${name}\``));
    expect(missing, 'variables missing from the README configuration table').toEqual([]);
  });

  it('documents every error code', async () => {
    const { ERROR_CODES } = await import('../../../src/errors.js');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(ERROR_CODES.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
