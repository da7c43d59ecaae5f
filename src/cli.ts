/**
 * Operator CLI: `npm run formgraph -- <command> [options]`. Uses the server's own services and
 * database start-up (DATABASE_URL, else the embedded PostgreSQL in FORMGRAPH_DATA_DIR; when a
 * server already runs that cluster the CLI connects to it).
 *
 * Exit codes: 0 done, 1 refused (invalid input, unknown workspace, ...), 2 usage or configuration.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createDemo } from './demo.js';
import { createEventBus } from './events/create-bus.js';
import { startDatabase } from './db/start-database.js';
import { closeDb, createDb, type Db } from './db/prisma.js';
import { AppError } from './errors.js';
import { ROLES, SCOPES, type Role, type Scope } from './auth/principal.js';
import { addMember, createApiKey, createWorkspace } from './modules/identity/identity.service.js';
import { registerModuleJobKinds } from './job-kinds.js';

const USAGE = `usage: npm run formgraph -- <command> [options]

commands:
  create-workspace --name <name>
  create-user      --workspace <id> --email <email> --name <name> [--password <pw>] [--role OWNER|ADMIN|EDITOR|VIEWER]
                   (role defaults to OWNER; without --password a random one is generated and printed)
  create-api-key   --workspace <id> --name <name> --scopes READ,WRITE,MANAGE,INTERNAL [--expires-at <ISO date>]
  list-workspaces
  demo             [--name <workspace name>]
                   (a workspace with a form, a CRM module, a chart, a page, a survey with
                   responses and tags, and a workflow; prints an API key and a first query)

options:
  --json           print the result as JSON
  --help           this text

<id> is a workspace's UUID or its GraphQL global id.`;

class UsageError extends Error {}
class Refused extends Error {}

type Options = Record<string, string | boolean | undefined>;

function option(options: Options, name: string, required: true): string;
function option(options: Options, name: string, required?: false): string | undefined;
function option(options: Options, name: string, required = false): string | undefined {
  const value = options[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

/** Accepts a raw UUID or a global id (`Workspace:<uuid>` in base64). */
function workspaceId(raw: string): string {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (uuid.test(raw)) return raw.toLowerCase();
  try {
    const { typename, id } = decodeGlobalID(raw);
    if (typename === 'Workspace' && uuid.test(id)) return id.toLowerCase();
  } catch {
    // fall through
  }
  throw new UsageError(`--workspace must be a workspace UUID or global id, got "${raw}"`);
}

async function existingWorkspace(db: Db, raw: string) {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId(raw) } });
  if (!workspace) throw new Refused(`workspace ${raw} not found`);
  return workspace;
}

function parseScopes(raw: string): Scope[] {
  const scopes = raw
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !SCOPES.includes(s as Scope));
  if (unknown.length) throw new UsageError(`unknown scope ${unknown.join(', ')}; use ${SCOPES.join(', ')}`);
  if (!scopes.length) throw new UsageError('--scopes needs at least one scope');
  return scopes as Scope[];
}

function parseRole(raw: string | undefined): Role {
  const role = (raw ?? 'OWNER').toUpperCase();
  if (!ROLES.includes(role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${raw}"`);
  return role as Role;
}

function parseDate(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires-at must be a date such as 2027-01-31T00:00:00Z, got "${raw}"`);
  return date;
}

type Output = Record<string, unknown> | Record<string, unknown>[];

interface Command {
  options: string[];
  /** checks the options before the database starts: usage errors answer at once */
  check?(options: Options): void;
  run(db: Db, options: Options, env: { config: Config; log: Logger; databaseUrl: string }): Promise<{ result: Output; text: string }>;
}

const commands: Record<string, Command> = {
  'create-workspace': {
    options: ['name'],
    check: (o) => option(o, 'name', true),
    async run(db, o) {
      const workspace = await createWorkspace(db, option(o, 'name', true));
      const result = { id: workspace.id, globalId: encodeGlobalID('Workspace', workspace.id), name: workspace.name };
      return { result, text: `created workspace "${result.name}"\n  id         ${result.id}\n  global id  ${result.globalId}` };
    },
  },
  'create-user': {
    options: ['workspace', 'email', 'name', 'password', 'role'],
    check(o) {
      workspaceId(option(o, 'workspace', true));
      option(o, 'email', true);
      option(o, 'name', true);
      parseRole(option(o, 'role'));
    },
    async run(db, o, { config, log, databaseUrl }) {
      const workspace = await existingWorkspace(db, option(o, 'workspace', true));
      const email = option(o, 'email', true);
      const given = option(o, 'password');
      const password = given ?? randomBytes(12).toString('base64url');
      const role = parseRole(option(o, 'role'));
      const existed = (await db.user.findUnique({ where: { email: email.toLowerCase() } })) !== null;
      // a running server caches the member's credentials: a role change must reach it over the bus
      const events = existed ? await createEventBus(config, databaseUrl, log) : undefined;
      const { user, membership } = await addMember(db, workspace.id, { email, name: option(o, 'name', true), password, role }, events).finally(() =>
        events?.close(),
      );
      const result = {
        id: user.id,
        globalId: encodeGlobalID('User', user.id),
        email: user.email,
        workspaceId: workspace.id,
        role: membership.role,
        existingUser: existed,
        ...(given || existed ? {} : { password }),
      };
      const lines = [
        `${existed ? 'added existing user' : 'created user'} ${user.email} to "${workspace.name}" as ${membership.role}`,
        `  id         ${user.id}`,
        ...(existed ? ['  (an existing user keeps their password)'] : given ? [] : [`  password   ${password}   (generated: store it now)`]),
      ];
      return { result, text: lines.join('\n') };
    },
  },
  'create-api-key': {
    options: ['workspace', 'name', 'scopes', 'expires-at'],
    check(o) {
      workspaceId(option(o, 'workspace', true));
      option(o, 'name', true);
      parseScopes(option(o, 'scopes', true));
      parseDate(option(o, 'expires-at'));
    },
    async run(db, o) {
      const workspace = await existingWorkspace(db, option(o, 'workspace', true));
      const scopes = parseScopes(option(o, 'scopes', true));
      const { apiKey, secret } = await createApiKey(db, workspace.id, null, {
        name: option(o, 'name', true),
        scopes,
        expiresAt: parseDate(option(o, 'expires-at')),
      });
      const result = {
        id: apiKey.id,
        globalId: encodeGlobalID('ApiKey', apiKey.id),
        name: apiKey.name,
        prefix: apiKey.prefix,
        scopes: apiKey.scopes,
        expiresAt: apiKey.expiresAt?.toISOString() ?? null,
        workspaceId: workspace.id,
        secret,
      };
      const text = [
        `created API key "${apiKey.name}" in "${workspace.name}" with ${apiKey.scopes.join(', ')}${apiKey.expiresAt ? `, expires ${apiKey.expiresAt.toISOString()}` : ''}`,
        '',
        `  ${secret}`,
        '',
        'It is shown only this once: store it now. Send it as `x-api-key: <key>` or `Authorization: Bearer <key>`.',
      ].join('\n');
      return { result, text };
    },
  },
  'list-workspaces': {
    options: [],
    async run(db) {
      const workspaces = await db.workspace.findMany({
        orderBy: { createdAt: 'asc' },
        select: { id: true, name: true, createdAt: true, _count: { select: { memberships: true, apiKeys: true } } },
      });
      const result = workspaces.map((w) => ({
        id: w.id,
        globalId: encodeGlobalID('Workspace', w.id),
        name: w.name,
        members: w._count.memberships,
        apiKeys: w._count.apiKeys,
        createdAt: w.createdAt.toISOString(),
      }));
      const text = result.length
        ? result.map((w) => `${w.id}  ${w.name}  (${plural(w.members, 'member')}, ${plural(w.apiKeys, 'API key')}, created ${w.createdAt})`).join('\n')
        : 'no workspaces yet: npm run formgraph -- create-workspace --name "My workspace"';
      return { result, text };
    },
  },
  demo: {
    options: ['name'],
    async run(db, o, { config, log, databaseUrl }) {
      const events = await createEventBus(config, databaseUrl, log);
      try {
        const demo = await createDemo({ db, config: { ...config, databaseUrl }, events, log }, option(o, 'name') ?? 'Demo');
        const result = { workspaceId: demo.workspaceId, globalId: encodeGlobalID('Workspace', demo.workspaceId), key: demo.key, ids: demo.ids };
        const text = [
          `created the demo workspace "${option(o, 'name') ?? 'Demo'}" (${demo.workspaceId}): a form with entries, a CRM module`,
          'with records, a chart and a page, a survey with responses and a tag, and a workflow.',
          '',
          `API key (READ, WRITE, MANAGE; shown only this once):  ${demo.key}`,
          '',
          `Open http://localhost:${config.port}/graphql, put { "x-api-key": "${demo.key}" } under Headers, and run:`,
          '',
          '  { forms { edges { node { name entries(first: 5) { totalCount edges { node { values } } } } } } }',
        ].join('\n');
        return { result, text };
      } finally {
        await events.close();
      }
    },
  },
};

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function parse(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name) throw new UsageError('a command is needed');
  if (name === '--help' || name === 'help') return null;
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: Object.fromEntries([
      ...command.options.map((o) => [o, { type: 'string' as const }]),
      ['json', { type: 'boolean' as const }],
      ['help', { type: 'boolean' as const }],
    ]),
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!(values as Options).help) command.check?.(values as Options);
  return { name, command, options: values as Options };
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options
    if (error instanceof UsageError && argv[0] && commands[argv[0]]) {
      console.error(`formgraph: ${error.message} (see npm run formgraph -- --help)`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`formgraph: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!parsed || parsed.options.help) {
    console.log(USAGE);
    return 0;
  }
  let config;
  try {
    // quiet unless asked: the CLI's output is its result
    config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`formgraph: configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  registerModuleJobKinds();
  const log = createLogger(config.logLevel, pino.destination(2));
  const database = await startDatabase(config, log);
  const db = createDb(database.url, 2);
  try {
    const { result, text } = await parsed.command.run(db, parsed.options, { config, log, databaseUrl: database.url });
    console.log(parsed.options.json ? JSON.stringify(result, null, 2) : text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`formgraph: ${error.message} (see npm run formgraph -- --help)`);
      return 2;
    }
    if (error instanceof Refused) {
      console.error(`formgraph: ${error.message}`);
      return 1;
    }
    if (error instanceof AppError) {
      const issues = error.issues.map((i) => `\n  --${i.path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join('');
      console.error(`formgraph: ${error.issues.length ? 'invalid input' : error.message}${issues}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb(db);
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`formgraph: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
