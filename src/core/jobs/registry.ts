import type { JobRun } from './job-run.js';

export type JobHandler<P = unknown> = (params: P, job: JobRun) => Promise<void>;

/**
 * A job kind as the code that enqueues it sees it: a name and the type of its params. The module
 * that runs it registers a handler at start-up (`registerJobKinds`); the engine imports no kind.
 */
export interface JobKind<P = unknown> {
  readonly name: string;
  /** phantom: ties `enqueueJob`'s params to the handler's */
  readonly params?: P;
}

/** A kind with its handler, its params type erased so that one list holds every kind. */
export interface JobKindHandler {
  readonly kind: JobKind<unknown>;
  readonly run: JobHandler<never>;
}

const declared = new Map<string, JobKind<unknown>>();
const handlers = new Map<string, JobHandler<never>>();

/** Declares a job kind; call once per kind, at module level, where its jobs are enqueued. */
export function declareJobKind<P>(name: string): JobKind<P> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`job kind "${name}" must be UPPER_SNAKE_CASE`);
  if (declared.has(name)) throw new Error(`job kind ${name} is declared twice`);
  const kind: JobKind<P> = { name };
  declared.set(name, kind);
  return kind;
}

export const handleJobKind = <P>(kind: JobKind<P>, run: JobHandler<P>): JobKindHandler => ({ kind, run });

/** Called at start-up by every process that runs or enqueues jobs (server, worker, CLI). */
export function registerJobKinds(given: readonly JobKindHandler[]): void {
  for (const { kind, run } of given) {
    if (declared.get(kind.name) !== kind) throw new Error(`job kind ${kind.name} was not declared with declareJobKind`);
    const existing = handlers.get(kind.name);
    if (existing && existing !== run) throw new Error(`job kind ${kind.name} has two handlers`);
    handlers.set(kind.name, run);
  }
}

/** After registration: a forgotten handler stops the process at start, not its jobs later. */
export function assertEveryJobKindHandled(): void {
  const missing = [...declared.keys()].filter((name) => !handlers.has(name));
  if (missing.length) throw new Error(`job kinds without a handler: ${missing.join(', ')}; register them at start-up (src/job-kinds.ts)`);
}

/** The handler of a stored job's kind; its payload was written by `enqueueJob` with that kind's params. */
export function jobHandler(name: string): JobHandler | undefined {
  return handlers.get(name) as JobHandler | undefined;
}

export const isRegistered = (kind: JobKind<unknown>) => handlers.has(kind.name);
