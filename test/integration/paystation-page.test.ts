/**
 * The sandbox pay station page (`GET /paystation4/?token=…`, outside /api): a self-contained HTML page of the
 * token's order with Pay, Fail and Cancel, whose buttons call the JSON endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

const page = (token: string) =>
  app.inject({ method: 'GET', url: `/paystation4/?token=${encodeURIComponent(token)}` });

/** Anything the browser would fetch from elsewhere: external scripts, styles, images, fonts, frames. */
function externalAssets(html: string): string[] {
  const found: string[] = [];
  for (const re of [
    /\b(?:src|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//gi,
    /<link\b/gi,
    /@import/gi,
    /url\(/gi,
    /<(?:iframe|object|embed)\b/gi,
    /\bhttps?:\/\//gi,
  ]) {
    for (const m of html.matchAll(re)) found.push(m[0]);
  }
  return found;
}

describe('GET /paystation4/?token=', () => {
  it('serves a self-contained page of the order with Pay, Fail and Cancel', async () => {
    const { order_id, token } = await swordOrder(f, 'pia', { quantity: 2 });
    const res = await page(token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain(`Order ${order_id}`);
    expect(html).toContain('Sword');
    expect(html).toContain('9.99 USD');
    expect(html).toContain('19.98 USD');
    expect(html).toContain('Awaiting payment');
    for (const id of ['pay', 'fail', 'cancel']) expect(html).toMatch(new RegExp(`<button id="${id}">`));
    expect(html).toContain('/api/paystation/');
    expect(externalAssets(html)).toEqual([]);
  });

  it('shows the new status after the JSON pay endpoint, with the buttons disabled', async () => {
    const { token } = await swordOrder(f, 'pia');
    await f.anon('POST', `/paystation/${token}/pay`);
    const html = (await page(token)).body;
    expect(html).toContain('Paid — items delivered');
    expect(html).toMatch(/<button id="pay" disabled>/);
  });

  it('links back to settings.return_url with the status, and escapes what it shows', async () => {
    const created = await f.t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'odd',
      name: { en: '<script>alert("x")</script> & Co' },
      prices: [{ amount: 1, currency: 'USD', is_default: true }],
    });
    expect(created.statusCode).toBe(201);
    const res = await f.user('pia', 'POST', '/payment/item/odd', {
      settings: { return_url: 'https://game.example.com/back?from=shop' },
    });
    const { token } = res.json();
    await f.anon('POST', `/paystation/${token}/pay`);
    const html = (await page(token)).body;
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).toMatch(
      /<a class="back" href="https:\/\/game\.example\.com\/back\?from=shop&amp;status=done&amp;user_id=pia&amp;invoice_id=\d+">/,
    );
  });

  it('answers a 404 page for a missing, unknown or malformed token', async () => {
    for (const url of [
      '/paystation4/',
      '/paystation4/?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/paystation4/?token=%3Cx%3E',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Payment link not found');
      expect(res.body).not.toContain('<x>');
    }
  });

  it('is not part of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/paystation4'))).toEqual([]);
  });
});
