/**
 * The pay station widget (ADR 0035) in real Chromium: a web shop written for Xsolla — its page loads Xsolla's widget
 * script and calls the Store API — is served with only those two URLs pointed at Itemshop. It creates an order,
 * opens the payment UI with `XPayStationWidget.init({...}).open()` exactly as Xsolla's store demo does (an iframe
 * lightbox on a desktop, a new window on a phone), the buyer pays on Itemshop's pay station, and the shop receives
 * the widget's events: init, open, load, status + status-done (or status-troubled), close.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { testApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium, noteSkippedWithoutChromium, screenshot } from '../helpers/chromium.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';

noteSkippedWithoutChromium('pay station widget');

const XSOLLA_WIDGET = 'https://static.xsolla.com/embed/paystation/1.1.0/widget.min.js';
const XSOLLA_STORE_API = 'https://store.xsolla.com/api';

/**
 * A web shop page as written for Xsolla (the widget calls of Xsolla's store demo). `mode: 'lightbox'` opens the
 * payment UI right after the order is created; `mode: 'button'` initializes the widget and lets the buyer click an
 * element marked `data-xpaystation-widget-open`.
 */
function xsollaShopPage(projectId: number, userJwt: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example web shop</title>
<script src="${XSOLLA_WIDGET}"></script></head>
<body style="font-family:sans-serif">
<h1>Example web shop</h1>
<p>A sword, 9.99 USD.</p>
<button id="buy">Buy now</button>
<button id="checkout">Checkout</button>
<button id="pay" data-xpaystation-widget-open hidden>Pay with Xsolla</button>
<script>
  var STORE_API = ${JSON.stringify(XSOLLA_STORE_API)};
  var W = window.XPayStationWidget;
  window.events = [];
  Object.keys(W.eventTypes).forEach(function (key) {
    var name = W.eventTypes[key];
    W.on(name, function (event, data) { window.events.push({ name: name, data: data === undefined ? null : data }); });
  });
  function createOrder() {
    return fetch(STORE_API + '/v2/project/${projectId}/payment/item/sword', {
      method: 'POST',
      headers: { Authorization: 'Bearer ${userJwt}', 'Content-Type': 'application/json' },
      body: JSON.stringify({ sandbox: true })
    }).then(function (r) { return r.json(); });
  }
  function widgetOptions(token) {
    return { host: 'sandbox-secure.xsolla.com', sandbox: true, access_token: token,
      lightbox: { height: 675, spinner: 'round', width: '740px', spinnerColor: '#fff', contentBackground: 'rgba(0,0,0,0.5)' } };
  }
  document.getElementById('buy').addEventListener('click', function () {
    createOrder().then(function (order) {
      window.orderId = order.order_id;
      W.init(widgetOptions(order.token));
      W.open();
    });
  });
  document.getElementById('checkout').addEventListener('click', function () {
    createOrder().then(function (order) {
      window.orderId = order.order_id;
      W.init(widgetOptions(order.token));
      document.getElementById('pay').hidden = false;
    });
  });
</script>
</body></html>`;
}

let app: FastifyInstance;
let f: ShopFixture;
let itemshop: string;
let shop: Server;
let shopUrl: string;
let browser: Browser;
/** The shop page with the widget script and the Store API pointed at Itemshop — nothing else changed. */
let shopHtml: (userId: string) => Promise<string>;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  app = await testApp();
  f = await shopFixture(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  itemshop = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  shopHtml = async (userId) =>
    xsollaShopPage(f.t.projectId, await f.token(userId))
      .replace(XSOLLA_WIDGET, `${itemshop}/embed/paystation/1.1.0/widget.min.js`)
      .replace(XSOLLA_STORE_API, `${itemshop}/api`);
  // The shop is another origin (another port) than Itemshop.
  const pages = new Map<string, string>();
  shop = createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  (shop as Server & { pages?: Map<string, string> }).pages = pages;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
  await app?.close();
});

/** Serves the shop page for `userId` at a fresh path and returns its URL. */
async function shopPage(userId: string): Promise<string> {
  const path = `/shop-${userId}`;
  (shop as Server & { pages: Map<string, string> }).pages.set(path, await shopHtml(userId));
  return `${shopUrl}${path}`;
}

type Recorded = { name: string; data: { paymentInfo?: Record<string, unknown> } | null };
const events = (page: Page) => page.evaluate(() => (globalThis as unknown as { events: Recorded[] }).events);
const eventNames = async (page: Page) => (await events(page)).map((e) => e.name);
const waitForEvent = (page: Page, name: string) =>
  page.waitForFunction(
    (n) => (globalThis as unknown as { events: Recorded[] }).events.some((e) => e.name === n),
    name,
    { timeout: 15_000 },
  );

describe.skipIf(!HAS_CHROMIUM)('pay station widget in Chromium', () => {
  it('opens the pay station in a lightbox, pays, and tells the shop status + status-done, then close', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(await shopPage('lia'));
    await page.click('#buy');
    await waitForEvent(page, 'load');
    const orderId = await page.evaluate(() => (globalThis as unknown as { orderId: number }).orderId);
    expect(orderId).toBeGreaterThan(0);

    // The lightbox: an iframe of Itemshop's pay station (not Xsolla's), sized as the shop asked.
    const iframe = page.locator('iframe.xpaystation-widget-lightbox-content-iframe');
    expect(await iframe.getAttribute('src')).toMatch(
      new RegExp(`^${itemshop.replace(/\./g, '\\.')}/paystation2/\\?access_token=[A-Za-z0-9]+$`),
    );
    const box = (await page.locator('.xpaystation-widget-lightbox-content').boundingBox())!;
    expect(Math.round(box.width)).toBe(740);
    const frame = page.frameLocator('iframe.xpaystation-widget-lightbox-content-iframe');
    await expect.poll(() => frame.locator('h1').textContent()).toContain('test-project');
    await frame.locator('#close-widget').waitFor(); // the page found the widget (widget-detected)
    await screenshot(page, 'widget-lightbox-open');

    await frame.locator('#pay').click();
    await waitForEvent(page, 'status-done');
    const recorded = await events(page);
    const status = recorded.find((e) => e.name === 'status')!;
    expect(status.data?.paymentInfo).toMatchObject({ status: 'done', order_id: orderId });
    expect(recorded.find((e) => e.name === 'status-done')!.data?.paymentInfo).toMatchObject({
      status: 'done',
      order_id: orderId,
    });
    const names = recorded.map((e) => e.name);
    expect(names.slice(0, 4)).toEqual(['init', 'open', 'open-lightbox', 'load']);
    expect(names).not.toContain('status-troubled');
    // The purchase is complete on the Store API.
    expect((await f.user('lia', 'GET', `/order/${orderId}`)).json().status).toBe('done');
    await expect.poll(() => frame.locator('#status').textContent()).toContain('Paid');
    await screenshot(page, 'widget-lightbox-paid');

    // The pay station's Close button closes the lightbox: close + close-lightbox, the iframe is gone.
    await frame.locator('#close-widget').click();
    await waitForEvent(page, 'close');
    expect((await eventNames(page)).slice(-2)).toEqual(['close', 'close-lightbox']);
    expect(await page.locator('.xpaystation-widget-lightbox').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('closes the lightbox on Escape and on the overlay, without a status', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto(await shopPage('max'));
    await page.click('#buy');
    await waitForEvent(page, 'load');
    await page.keyboard.press('Escape');
    await waitForEvent(page, 'close');
    expect(await page.locator('.xpaystation-widget-lightbox').count()).toBe(0);
    expect((await eventNames(page)).slice(-2)).toEqual(['close', 'close-lightbox']);

    // Again, closed by a click on the overlay (outside the pay station).
    await page.evaluate(() => ((globalThis as unknown as { events: Recorded[] }).events = []));
    await page.click('#buy');
    await waitForEvent(page, 'load');
    expect(await page.locator('.xpaystation-widget-lightbox').count()).toBe(1);
    await page.mouse.click(5, 840);
    await waitForEvent(page, 'close');
    expect(await page.locator('.xpaystation-widget-lightbox').count()).toBe(0);
    const names = await eventNames(page);
    expect(names).toEqual(['init', 'open', 'open-lightbox', 'load', 'close', 'close-lightbox']);
    await context.close();
  });

  it('opens a new window on a phone from a data-xpaystation-widget-open button: fail, then pay, then close', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
        'Version/17.0 Mobile/15E148 Safari/604.1',
    });
    const page = await context.newPage();
    await page.goto(await shopPage('noa'));
    await page.click('#checkout');
    await page.locator('#pay').waitFor({ state: 'visible' });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#pay')]);
    await popup.waitForLoadState();
    expect(popup.url()).toMatch(
      new RegExp(`^${itemshop.replace(/\./g, '\\.')}/paystation2/\\?access_token=`),
    );
    await waitForEvent(page, 'load');
    expect((await eventNames(page)).slice(0, 4)).toEqual(['init', 'open', 'open-window', 'load']);
    const orderId = await page.evaluate(() => (globalThis as unknown as { orderId: number }).orderId);

    await popup.locator('#fail').click();
    await waitForEvent(page, 'status-troubled');
    await popup.waitForLoadState();
    await popup.locator('#pay:not([disabled])').click();
    await waitForEvent(page, 'status-done');
    const statuses = (await events(page))
      .filter((e) => e.name === 'status')
      .map((e) => e.data?.paymentInfo?.status);
    expect(statuses).toEqual(['troubled', 'done']);
    expect((await f.user('noa', 'GET', `/order/${orderId}`)).json().status).toBe('done');
    // The pay station reloads itself after Pay; closing a window in the middle of that reload hung Chromium's
    // close for minutes (one run in five on a loaded machine), so the buyer closes it once the paid page is shown.
    await popup.locator('#status.s-done').waitFor();
    await screenshot(popup, 'widget-window-paid');

    await popup.close();
    await waitForEvent(page, 'close');
    expect((await eventNames(page)).slice(-2)).toEqual(['close', 'close-window']);
    await context.close();
  }, 60_000); // three page loads of a popup, a failed and a paid attempt
});
