/**
 * What a newcomer sees in a browser (issue 15 items 6 and 7), in real Chromium (playwright-core driving Debian's
 * chromium): `/docs` of a server started with the demo opens with the demo project id filled in and the demo key
 * and JWT authorized, so "Try it out" → "Execute" on an admin call and on a user call answers 200; `/` links the
 * docs, the OpenAPI document, the demo pay station, health and metrics. Screenshots are written to
 * `$ITEMSHOP_SCREENSHOTS` (default: the OS temporary directory) for a person to look at.
 *
 * Skipped with a message when /usr/bin/chromium is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { operations } from '../../src/http/operations.js';
import { startServer, type ServerHandle } from '../../src/server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e docs/home: ${CHROMIUM} not found — browser tests skipped`);

const shots = process.env.ITEMSHOP_SCREENSHOTS ?? join(tmpdir(), 'itemshop-screenshots');

let server: ServerHandle;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'itemshop-docs-'));
  // Its own embedded database with the demo store, as `npm start` runs it.
  const config = loadConfig(
    {},
    { dataDir: join(dataDir, 'data'), port: 0, host: '127.0.0.1', logLevel: 'silent', demo: true },
  );
  server = await startServer(config, { handleSignals: false, print: () => {} });
  if (!hasChromium) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the docs page on `operationId` (a deep link `#/<tag>/<operationId>` expands it); returns its block. */
async function open(page: Page, operationId: string) {
  const op = operations.find((o) => o.docSlug === operationId)!;
  await page.goto('about:blank'); // a fresh load: the UI reads the deep link when it starts
  await page.goto(`${server.url}/docs#/${op.tag}/${operationId}`);
  const block = page.locator(`[id="operations-${op.tag}-${operationId}"]`);
  await block.locator('.opblock-body').waitFor({ timeout: 60_000 });
  return block;
}

/** Executes the operation `operationId` from the docs page ("Try it out" is on); returns the status shown. */
async function execute(page: Page, operationId: string): Promise<string> {
  const block = await open(page, operationId);
  const run = block.locator('button.execute');
  await run.waitFor({ timeout: 30_000 });
  await run.click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 30_000 });
  return (await status.innerText()).trim();
}

describe.skipIf(!hasChromium)('in Chromium', () => {
  it('/docs opens with the demo project id filled in and the demo credentials authorized', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      // An admin call (Basic project_id:key) — the project id is already filled in.
      const admin = await open(page, 'admin-get-virtual-items-list');
      // The lock icon shows the schemes as authorized once the spec is loaded.
      await page.locator('.btn.authorize.locked').waitFor({ timeout: 30_000 });
      const projectInput = admin.locator('tr[data-param-name="project_id"] input').first();
      await projectInput.waitFor({ timeout: 30_000 });
      expect(await projectInput.inputValue()).toBe(String(server.demo!.projectId));
      await admin.locator('button.execute').click();
      const adminStatus = admin.locator('.live-responses-table .response .response-col_status').first();
      await adminStatus.waitFor({ timeout: 30_000 });
      expect((await adminStatus.innerText()).trim()).toBe('200');
      await admin.screenshot({ path: join(shots, 'docs-admin-try-it-out.png') });

      // A user call (Bearer JWT of demo-user).
      expect(await execute(page, 'get-user-virtual-balance')).toBe('200');

      // The Authorize dialog shows the schemes as authorized.
      await page.locator('.btn.authorize').first().click();
      await page.locator('.auth-container').first().waitFor();
      // basicAuth, XsollaLoginUserJWT and AuthForCart are authorized (each offers Logout); the merchant scheme is not.
      expect(await page.locator('.auth-container button', { hasText: 'Logout' }).count()).toBe(3);
      await page.screenshot({ path: join(shots, 'docs-authorized.png') });
    } finally {
      await page.close();
    }
  }, 240_000);

  it('/ shows a start page linking docs, OpenAPI, the demo pay station, health and metrics', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    try {
      const res = await page.goto(`${server.url}/`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toBe('Itemshop');
      const links = await page
        .locator('li a')
        .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      const token = server.demo!.credentials.demoOrder!.token;
      expect(links).toEqual([
        ['API docs', '/docs'],
        ['OpenAPI document', '/api/openapi.json'],
        ['Demo pay station', `/paystation4/?token=${encodeURIComponent(token)}`],
        ['Liveness', '/health/live'],
        ['Readiness', '/health/ready'],
        ['Metrics', '/metrics'],
      ]);
      expect(await page.locator('.demo').innerText()).toContain(`project ${server.demo!.projectId}`);
      await page.screenshot({ path: join(shots, 'home.png'), fullPage: true });
      // Every link answers.
      for (const [, href] of links) {
        const r = await page.request.get(`${server.url}${href}`);
        expect(r.status(), href!).toBe(200);
      }
      // The pay station link opens the demo order.
      await page.locator('a', { hasText: 'Demo pay station' }).click();
      await page.locator('#pay').waitFor({ timeout: 30_000 });
    } finally {
      await page.close();
    }
  });
});

describe('GET / as JSON', () => {
  it('answers the same links for Accept: application/json', async () => {
    const res = await fetch(`${server.url}/`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toBe('Accept');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'Itemshop',
      engine: 'pglite',
      demo: { project_id: server.demo!.projectId, merchant_id: server.demo!.credentials.merchantId },
      links: {
        docs: '/docs',
        openapi: '/api/openapi.json',
        health_live: '/health/live',
        health_ready: '/health/ready',
        metrics: '/metrics',
        paystation_demo: expect.stringMatching(/^\/paystation4\/\?token=/),
      },
    });
  });

  it('keeps the demo credentials out of /api/openapi.json', async () => {
    const text = await (await fetch(`${server.url}/api/openapi.json`)).text();
    expect(text).not.toContain(server.demo!.credentials.apiKey);
    expect(text).not.toContain('x-itemshop-demo');
    const docs = await (await fetch(`${server.url}/docs/json`)).text();
    expect(docs).toContain(server.demo!.credentials.apiKey);
  });
});
