import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { apiKeyFor, createTenant, type Tenant } from '../helpers/fixtures.js';
import { runJobsUntilIdle } from '../helpers/jobs.js';
import { createJob, createWorkflow } from '../api/jobs/documents.js';

/**
 * GraphiQL as a person uses it, in a real Chromium that may reach nothing but this machine: the
 * page, its editors and workers come from the server itself, the key goes in the Headers tab, a
 * query runs, and a job's progress streams to its final status.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

describe('GraphiQL in a browser, offline', () => {
  let t: TestServer;
  let tenant: Tenant;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
    t = await startTestServer();
    tenant = await createTenant(t.server.db, ['READ', 'WRITE']);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'formgraph-chromium-'));
    // a fresh profile (--user-data-dir); the flags keep Chromium from calling home
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue();
      problems.push(`blocked request: ${route.request().url()}`);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // ERR_ABORTED is the page cancelling a request itself (GraphiQL closes a finished SSE stream)
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await t?.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** Replaces the whole text of the Monaco editor inside `selector` (insertText: no auto-closing brackets). */
  async function setEditor(selector: string, text: string) {
    await page.locator(`${selector} .monaco-editor:visible`).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  // The execute button does not always execute. While the document holds several operations it
  // is a menu asking which one to run, and GraphiQL re-parses the editor a moment after each edit:
  // a click right after replacing the default document could open that menu and send nothing (a
  // CI failure). While a request or subscription is live it is a stop button instead.
  const executeButton = () => page.locator('.graphiql-execute-button');
  const buttonState = async () => {
    const [label, popup] = await Promise.all([executeButton().getAttribute('aria-label'), executeButton().getAttribute('aria-haspopup')]);
    return `${label?.split(' ')[0]} ${popup ?? 'button'}`;
  };
  async function runSingleOperation(text: string) {
    await setEditor('.graphiql-query-editor', text);
    await expect.poll(buttonState, { timeout: 20_000 }).toBe('Execute button');
    await executeButton().click();
  }

  // Monaco renders spaces as no-break spaces
  const textOf = async (selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');
  const resultText = () => textOf('.graphiql-response');

  it('serves GraphiQL from the server alone, with the default document', async () => {
    await page.goto(`${t.url}/graphql`);
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 60_000 });
    await expect.poll(() => textOf('.graphiql-query-editor'), { timeout: 20_000 }).toContain('Welcome to formgraph');
    // the default document has an example per domain: executing asks which one
    await expect.poll(buttonState, { timeout: 20_000 }).toBe('Execute menu');
    expect(problems).toEqual([]);
  }, 90_000);

  it('takes an API key in the Headers tab', async () => {
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await setEditor('.graphiql-editor-tool', JSON.stringify({ 'x-api-key': tenant.key }));
    expect(problems).toEqual([]);
  }, 60_000);

  it("streams a job's progress to its final status", async () => {
    // workflows need MANAGE; the key in GraphiQL has READ and WRITE only
    const client = t.client.as(await apiKeyFor(t.server.db, tenant.workspaceId, ['READ', 'WRITE', 'MANAGE']));
    const workflow = await createWorkflow(client, {
      name: 'Three steps',
      tasks: [
        { kind: 'log', parameters: { message: 'one' } },
        { kind: 'log', parameters: { message: 'two' } },
        { kind: 'log', parameters: { message: 'three' } },
      ],
    });
    const job = await createJob(client, { workflow });
    await runSingleOperation(`subscription { jobUpdated(id: "${job.id}") { status progress { done total } } }`);
    // the stream is open (the first event is the job as it is) before any worker touches the job
    await expect.poll(resultText, { timeout: 20_000 }).toContain('"QUEUED"');
    await runJobsUntilIdle(t);
    await expect.poll(resultText, { timeout: 20_000 }).toContain('"OK"');
    expect((await resultText()).replace(/\s+/g, '')).toContain('"progress":{"done":3,"total":3}');
    expect(problems).toEqual([]);
  }, 60_000);

  it('runs a query with the key from the Headers tab', async () => {
    await runSingleOperation('{ viewer { kind scopes } }');
    await expect.poll(resultText, { timeout: 20_000 }).toContain('"API_KEY"');
    expect(await resultText()).toContain('"WRITE"');
    expect(problems).toEqual([]);
  }, 60_000);
});
