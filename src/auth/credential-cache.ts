import { Prisma } from '../generated/prisma/client.js';
import { execute, type Runner } from '../db/sql-runner.js';
import type { EventBus } from '../events/bus.js';
import { topics } from '../events/topics.js';
import type { Logger } from '../logger.js';
import { authenticate, type Authentication } from './authenticate.js';
import { credentialChangeFrom, touches, type CredentialChange } from './credential-change.js';
import { sha256 } from './secrets.js';

type Ok = Extract<Authentication, { kind: 'ok' }>;

export interface CredentialCacheOptions {
  runner: Runner;
  events: EventBus;
  log: Logger;
  /** most entries kept; the oldest go first */
  maxEntries?: number;
  /** how often batched `lastUsedAt` times are written */
  flushIntervalMs?: number;
}

/**
 * Credentials seen by this process, so an authenticated request costs no SQL statement. Entries
 * are dropped at once, in every process, when a change is published on the event bus
 * (credential-change.ts), and never outlive their credential's `expiresAt`. Only valid
 * credentials are kept: a guessed one cannot fill the cache. `lastUsedAt` of API keys is
 * written in batches. Listeners hear of every change, so open connections re-check theirs.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Ok>();
  private readonly lastUsed = new Map<string, Date>();
  private readonly listeners = new Set<(change: CredentialChange | 'all') => void>();
  private readonly changes: AsyncIterableIterator<Record<string, unknown>>;
  private readonly timer: NodeJS.Timeout;
  private readonly maxEntries: number;

  constructor(private readonly options: CredentialCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.changes = options.events.subscribe(topics.credentials, { maxPending: 10_000 });
    void this.listen();
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 30_000);
    this.timer.unref();
  }

  async authenticate(credential: string | null, now = new Date()): Promise<Authentication> {
    if (!credential) return { kind: 'anonymous' };
    const hash = sha256(credential);
    const cached = this.entries.get(hash);
    if (cached) {
      if (cached.expiresAt && cached.expiresAt <= now) {
        this.entries.delete(hash);
        return { kind: 'invalid', reason: 'Credential expired' };
      }
      if (cached.principal.apiKeyId) this.lastUsed.set(cached.principal.apiKeyId, now);
      return cached;
    }
    const auth = await authenticate(this.options.runner, credential, now);
    if (auth.kind === 'ok') {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(hash, auth);
    }
    return auth;
  }

  /** Called with every change this process hears of; returns the unsubscribe function. */
  onChange(listener: (change: CredentialChange | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size() {
    return this.entries.size;
  }

  private async listen() {
    for await (const payload of this.changes) {
      // after the bus reconnects, changes may have been missed: forget everything
      const change = payload.resync ? 'all' : credentialChangeFrom(payload);
      if (!change) continue;
      this.drop(change);
      for (const listener of this.listeners) listener(change);
    }
  }

  private drop(change: CredentialChange | 'all') {
    if (change === 'all') return this.entries.clear();
    for (const [hash, auth] of this.entries) if (touches(change, auth.principal)) this.entries.delete(hash);
  }

  /** Writes the batched `lastUsedAt` times in one statement. */
  async flush(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const ids = [...this.lastUsed.keys()];
    const times = [...this.lastUsed.values()].map((t) => t.toISOString());
    this.lastUsed.clear();
    try {
      await execute(
        this.options.runner,
        Prisma.sql`update "ApiKey" k set "lastUsedAt" = u.t at time zone 'UTC'
                   from unnest(${ids}::uuid[], ${times}::timestamptz[]) as u(id, t)
                   where k.id = u.id and (k."lastUsedAt" is null or k."lastUsedAt" < u.t at time zone 'UTC')`,
      );
    } catch (err) {
      this.options.log.warn({ err }, 'credential cache: lastUsedAt not written');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.changes.return?.();
    this.listeners.clear();
    await this.flush();
  }
}
