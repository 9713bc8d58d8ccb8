/**
 * The sandbox pay station sends the buyer back to `settings.return_url` in a real browser (issue 11 item 2):
 * Chromium opens `/paystation4/?token=…`, the buyer clicks Pay, Fail or Cancel, and the page navigates to the
 * return URL with the query the real Pay Station appends (`status`, `user_id`, `invoice_id`, `foreigninvoice`) —
 * also for the app schemes mobile SDKs register (`app://xpayment.<bundle id>`,
 * `xsollasdk123456://xsollaconfirm/payment`), which the test sees as the navigation request Chromium makes.
 * Skipped with a message when /usr/bin/chromium is absent.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium, noteSkippedWithoutChromium } from '../helpers/chromium.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';

noteSkippedWithoutChromium('pay station return URLs');

let app: FastifyInstance;
let f: ShopFixture;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  app = await testApp();
  f = await shopFixture(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A new order of one sword for `userId` with `settings`; its token. */
async function order(userId: string, settings: Record<string, unknown>) {
  const res = await f.user(userId, 'POST', '/payment/item/sword', { sandbox: true, settings });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { order_id: number; token: string };
}

/**
 * Opens the pay station of `token`, clicks `button` and resolves with the first navigation request to a URL that
 * starts with `prefix` (a custom scheme reaches the browser as such a request, and goes nowhere).
 */
async function clickAndCatchReturn(page: Page, token: string, button: string, prefix: string) {
  const caught = new Promise<string>((resolve) => {
    page.on('request', (r) => {
      if (r.url().startsWith(prefix) && r.isNavigationRequest()) resolve(r.url());
    });
  });
  await page.goto(`${base}/paystation4/?token=${token}`);
  await page.click(`#${button}`);
  return Promise.race([
    caught,
    new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no return navigation')), 10_000)),
  ]);
}

describe.skipIf(!HAS_CHROMIUM)('sandbox pay station in Chromium: back to the game', () => {
  it('Pay → app://xpayment.<bundle>?status=done&user_id&invoice_id&foreigninvoice', async () => {
    const { order_id, token } = await order('pw-ann', {
      return_url: 'app://xpayment.com.example.game',
      external_id: 'shop-tx-1',
      sdk: { platform: 'android' },
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/paystation4/?token=${token}`);
      await page.screenshot({ path: join(tmpdir(), 'itemshop-paystation-return.png'), fullPage: true });
      const url = new URL(await clickAndCatchReturn(page, token, 'pay', 'app://'));
      expect(url.host).toBe('xpayment.com.example.game');
      const admin = await f.t.adminCall(
        'GET',
        `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${order_id}`,
      );
      expect(admin.json().status).toBe('done');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        status: 'done',
        user_id: 'pw-ann',
        invoice_id: admin.json().invoice_id,
        foreigninvoice: 'shop-tx-1',
      });
    } finally {
      await page.close();
    }
  });

  it('Cancel → xsollasdk123456://xsollaconfirm/payment?status=canceled (the iOS example app’s scheme)', async () => {
    const { token } = await order('pw-bo', { return_url: 'xsollasdk123456://xsollaconfirm/payment' });
    const page = await browser.newPage();
    try {
      const url = await clickAndCatchReturn(page, token, 'cancel', 'xsollasdk123456:');
      expect(url).toBe('xsollasdk123456://xsollaconfirm/payment?status=canceled&user_id=pw-bo');
    } finally {
      await page.close();
    }
  });

  it('Fail → an https return page with status=troubled, which the browser then shows', async () => {
    const { token } = await order('pw-cy', { return_url: 'https://game.example.com/back?from=shop' });
    const page = await browser.newPage();
    try {
      await page.route('https://game.example.com/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<h1>Welcome back</h1>' }),
      );
      const url = await clickAndCatchReturn(page, token, 'fail', 'https://game.example.com/');
      expect(url).toBe('https://game.example.com/back?from=shop&status=troubled&user_id=pw-cy');
      await page.waitForURL('https://game.example.com/**');
      expect(await page.textContent('h1')).toBe('Welcome back');
    } finally {
      await page.close();
    }
  });

  it('redirect_policy `successful`: Cancel stays on the page, which links back with status=canceled', async () => {
    const { token } = await order('pw-di', {
      return_url: 'app://xpayment.com.example.game',
      redirect_policy: { redirect_conditions: 'successful', delay: 0 },
    });
    const page = await browser.newPage();
    const navigations: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith('app:')) navigations.push(r.url());
    });
    try {
      await page.goto(`${base}/paystation4/?token=${token}`);
      await Promise.all([page.waitForEvent('load'), page.click('#cancel')]);
      expect(await page.textContent('#status')).toBe('Canceled');
      expect(await page.getAttribute('a.back', 'href')).toBe(
        'app://xpayment.com.example.game?status=canceled&user_id=pw-di',
      );
      expect(navigations).toEqual([]);
      await page.screenshot({ path: join(tmpdir(), 'itemshop-paystation-canceled.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
