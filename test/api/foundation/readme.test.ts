import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** The README's ```bash blocks, in order (```sh blocks are for starting things, not run here). */
function bashBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * The README runs from top to bottom: its shell examples, in one shell so the variables they
 * capture carry over, against a fresh server (its URL in place of localhost:4000) and database.
 */
describe('README.md', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SIGNUP_ENABLED: 'true' });
  });
  afterAll(() => t.stop());

  it('has shell examples that run in order and answer no error', async () => {
    const blocks = bashBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const script = ['set -euo pipefail', ...blocks.map((b, i) => `echo "::block ${i}"\n${b.replaceAll('http://localhost:4000', t.url)}\necho`)].join('\n');
    const child = spawn('bash', ['-c', script], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, LOG_LEVEL: '', PATH: `${path.join(root, 'node_modules/.bin')}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }, stdout).toEqual({ code: 0, stderr: '' });
    // every block ran; no GraphQL error, UserError or OAuth error in any answer
    expect(stdout.match(/^::block \d+$/gm)).toHaveLength(blocks.length);
    expect(stdout).not.toMatch(/"errors?"\s*:|"code"\s*:/);
    expect(stdout).toContain('"kind":"API_KEY"');
    expect(stdout).toContain('"totalCount":1');
  }, 300_000);
});
