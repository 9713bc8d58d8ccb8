/**
 * Every pay station entry point the official clients open serves the same sandbox page (ADR 0035):
 * `/paystation4/?token=` (Defold, iOS, Android), `/paystation3/?access_token=` (Cocos, Unity) and
 * `/paystation2/?access_token=` (the embed widget), plus the cache-warmup pages the mobile SDKs preload.
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

const get = (url: string) => app.inject({ method: 'GET', url });

describe('pay station entry points', () => {
  it('serves the order page on /paystation2/ and /paystation3/ with ?access_token=, as on /paystation4/?token=', async () => {
    const { order_id, token } = await swordOrder(f, 'ada');
    const reference = await get(`/paystation4/?token=${token}`);
    expect(reference.statusCode).toBe(200);
    for (const url of [
      `/paystation2/?access_token=${token}`,
      `/paystation3/?access_token=${token}`,
      `/paystation3?access_token=${token}`,
      `/paystation4/?access_token=${token}`,
      `/paystation2/?token=${token}`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(String(res.headers['content-security-policy']), url).toContain("default-src 'none'");
      expect(res.body, url).toContain(`Order ${order_id}`);
      expect(res.body, url).toContain('Sword');
      expect(res.body, url).toMatch(/<button id="pay">/);
    }
  });

  it('pays through the page opened on /paystation2/ (the buttons call the JSON endpoints of the same token)', async () => {
    const { order_id, token } = await swordOrder(f, 'bea');
    const html = (await get(`/paystation2/?access_token=${token}`)).body;
    expect(html).toContain(JSON.stringify(token));
    expect((await f.anon('POST', `/paystation/${token}/pay`)).statusCode).toBe(200);
    const order = await f.user('bea', 'GET', `/order/${order_id}`);
    expect(order.json().status).toBe('done');
    expect((await get(`/paystation3/?access_token=${token}`)).body).toContain('Paid — items delivered');
  });

  it('answers the not-found page on every entry point for a missing or unknown token', async () => {
    for (const url of [
      '/paystation2/',
      '/paystation3/',
      '/paystation2/?access_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/paystation3/?access_token=%3Cx%3E',
      '/paystation2/?access_data=%7B%7D',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toContain('Payment link not found');
      expect(res.body, url).not.toContain('<x>');
    }
  });

  it('answers the cache-warmup pages the iOS and Android SDKs preload', async () => {
    for (const url of ['/paystation3/en/cache-warmup', '/paystation4/de/cache-warmup']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
    }
  });

  it('keeps the entry points out of the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths).filter((p) => /^\/paystation\d/.test(p))).toEqual([]);
  });
});

describe('pay station widget script', () => {
  it('is served on the paths of the widget loaders, as JavaScript defining XPayStationWidget', async () => {
    for (const url of [
      '/embed/paystation/1.1.0/widget.min.js',
      '/embed/paystation/1.2.12/widget.js',
      '/payments-bucket-prod/embed/1.5.4/widget.min.js',
      '/static/embed/paystation-widget.js',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^(application|text)\/javascript/);
      expect(res.body, url).toContain('XPayStationWidget');
      expect(res.body, url).toContain('/paystation2/?');
    }
  });

  it('answers 404 for other files and never lists the folder', async () => {
    for (const url of [
      '/static/embed/',
      '/static/embed/nope.js',
      '/static/../package.json',
      '/embed/paystation/1.0/other.js',
    ])
      expect((await get(url)).statusCode, url).toBe(404);
  });
});
