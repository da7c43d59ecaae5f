import type { FieldIssue } from '../../errors.js';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { ServiceContext } from '../../context.js';
import type { JobRun } from '../../core/jobs/job-run.js';
import { isAllowedDestination } from './http-allow-list.js';
import { archiveEntriesTask, createEntryTask, MAX_ENTRIES_PER_TASK, updateEntriesTask } from './entry-tasks.js';

export interface TaskRunContext {
  job: JobRun;
  config: Config;
  /** aborted on cancel (and on timeout, except while onError tasks run) */
  signal: AbortSignal;
  /**
   * Runs the task's writes in one transaction with the record that the task finished, so a retry
   * after a crash never repeats them. Tasks that do not call it are recorded when they return.
   */
  atomically<T>(work: (ctx: ServiceContext) => Promise<T>): Promise<T>;
}

export interface TaskType<S extends z.ZodType = z.ZodType> {
  kind: string;
  description: string;
  schema: S;
  /** checks that need configuration (e.g. the HTTP allow-list), on literal parameters only */
  check?(params: z.infer<S>, config: Config): FieldIssue[];
  run(params: z.infer<S>, t: TaskRunContext): Promise<void>;
}

const define = <S extends z.ZodType>(t: TaskType<S>) => t as unknown as TaskType;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Entry tasks work on a form's entries or on a CRM module's records: exactly one of `form` and `module`. */
const collection = {
  form: z.string().min(1).optional().describe('the form: its global id, or its exact name'),
  module: z.string().min(1).optional().describe('or the CRM module: its global id, handle or exact name'),
};
const onOneCollection = <T extends { form?: string; module?: string }>(p: T) => (p.form === undefined) !== (p.module === undefined);
const oneCollection = { message: 'Give exactly one of form and module', path: ['form'] };
const filter = z
  .record(z.string(), z.unknown())
  .describe('a records filter, as the entries and records queries take it: { field, operator, value } or { and | or | not }');

export const TASK_TYPES: TaskType[] = [
  define({
    kind: 'log',
    description: 'Appends a line to the job log.',
    schema: z.object({ message: z.string().min(1).max(10_000), level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO') }).strict(),
    run: async (p, t) => t.job.log(p.level, p.message),
  }),
  define({
    kind: 'wait',
    description: 'Waits a number of seconds (a cancel stops it at once).',
    schema: z
      .object({
        seconds: z.coerce
          .number()
          .min(0)
          .max(7 * 24 * 3600),
      })
      .strict(),
    run: (p, t) => sleep(p.seconds * 1000, t.signal),
  }),
  define({
    kind: 'createEntry',
    description:
      'Creates an entry of a form or a record of a CRM module; values are validated like createEntry and createModuleRecord. A retry after a crash never creates it twice.',
    schema: z
      .object({ ...collection, values: z.record(z.string(), z.unknown()) })
      .strict()
      .refine(onOneCollection, oneCollection),
    run: (p, t) => createEntryTask(p, t),
  }),
  define({
    kind: 'updateEntries',
    description: `Patches every entry of a form, or record of a CRM module, that matches a filter (at most ${MAX_ENTRIES_PER_TASK}).`,
    schema: z
      .object({ ...collection, filter, patch: z.record(z.string(), z.unknown()) })
      .strict()
      .refine(onOneCollection, oneCollection),
    run: (p, t) => updateEntriesTask(p, t.job),
  }),
  define({
    kind: 'archiveEntries',
    description: `Archives every entry of a form, or record of a CRM module, that matches a filter (at most ${MAX_ENTRIES_PER_TASK}).`,
    schema: z
      .object({ ...collection, filter })
      .strict()
      .refine(onOneCollection, oneCollection),
    run: (p, t) => archiveEntriesTask(p, t.job),
  }),
  define({
    kind: 'httpRequest',
    description: 'Sends an HTTP request to a destination allowed by HTTP_TASK_ALLOW_LIST; a status other than 2xx fails the task.',
    schema: z
      .object({
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
        url: z.url({ protocol: /^https?$/ }),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.string().max(1_000_000).optional(),
        timeoutSeconds: z.coerce.number().min(1).max(300).default(30),
      })
      .strict(),
    check: (p, config) =>
      isAllowedDestination(new URL(p.url), config.httpAllowList)
        ? []
        : [{ path: ['url'], code: 'NOT_ALLOWED', message: `${new URL(p.url).host} is not in HTTP_TASK_ALLOW_LIST` }],
    async run(p, t) {
      const url = new URL(p.url);
      if (!isAllowedDestination(url, t.config.httpAllowList)) throw new Error(`${url.host} is not in HTTP_TASK_ALLOW_LIST`);
      const response = await fetch(url, {
        method: p.method,
        headers: p.headers,
        body: p.body,
        // a redirect could leave the allow-list: it is reported, never followed
        redirect: 'manual',
        signal: AbortSignal.any([t.signal, AbortSignal.timeout(p.timeoutSeconds * 1000)]),
      });
      const text = await response.text();
      const data = { status: response.status, body: text.slice(0, 2000) };
      if (!response.ok) {
        await t.job.log('WARN', `${p.method} ${url.origin}${url.pathname} answered ${response.status}`, data);
        throw new Error(`HTTP ${response.status} from ${p.method} ${url.origin}${url.pathname}`);
      }
      await t.job.log('INFO', `${p.method} ${url.origin}${url.pathname} answered ${response.status}`, data);
    },
  }),
];

export const taskTypes = new Map(TASK_TYPES.map((t) => [t.kind, t]));

/** JSON Schema of a task kind's parameters (for the catalog). */
export function parametersSchema(type: TaskType): unknown {
  return z.toJSONSchema(type.schema, { io: 'input', unrepresentable: 'any' });
}
