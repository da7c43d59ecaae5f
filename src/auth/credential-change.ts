import { randomUUID } from 'node:crypto';
import type { EventBus, EventPayload } from '../events/bus.js';
import { topics } from '../events/topics.js';

/**
 * Which cached credentials a change touches: every credential of a workspace, or only those of
 * one member in it. Revocations are rare, so dropping a whole workspace's entries is cheap and
 * leaves no credential kind to forget.
 */
export interface CredentialChange {
  workspaceId: string;
  userId?: string | null;
}

/** How long a publisher waits to hear its own change back before it goes on regardless. */
const ECHO_TIMEOUT_MS = 2000;

/**
 * Tells every process (the caller's included) to drop the credentials a change touches, and
 * resolves once this process has heard the change back from the bus: its own cache has dropped
 * them by then, and the bus delivered to every other process at the same moment. Call it after
 * the change committed: a process that reads again must see the new state.
 */
export async function publishCredentialChange(events: EventBus, change: CredentialChange): Promise<void> {
  const nonce = randomUUID();
  const echo = events.subscribe(topics.credentials, { maxPending: 10_000 });
  try {
    await events.publish(topics.credentials, { workspaceId: change.workspaceId, ...(change.userId ? { userId: change.userId } : {}), nonce });
    await heard(echo, nonce);
  } finally {
    await echo.return?.();
  }
}

async function heard(echo: AsyncIterableIterator<EventPayload>, nonce: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ECHO_TIMEOUT_MS)));
  const echoed = (async () => {
    for await (const payload of echo) if (payload.nonce === nonce) return;
  })();
  await Promise.race([echoed, timeout]);
  clearTimeout(timer);
}

export function credentialChangeFrom(payload: Record<string, unknown>): CredentialChange | null {
  if (typeof payload.workspaceId !== 'string') return null;
  return { workspaceId: payload.workspaceId, userId: typeof payload.userId === 'string' ? payload.userId : null };
}

export const touches = (change: CredentialChange, principal: { workspaceId: string; userId: string | null }) =>
  principal.workspaceId === change.workspaceId && (!change.userId || principal.userId === change.userId);
