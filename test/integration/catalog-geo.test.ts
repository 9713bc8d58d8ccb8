/**
 * `with_geo` on catalog reads (docs/decisions/0026-with-geo.md): the iOS SDK sends `with_geo=1`, the Android SDK
 * `with_geo=true` on get-virtual-items and read the buyer's language and country from the headers
 * `X-User-Locale-Code` and `X-User-Country-Code`; browsers can read them only when CORS exposes them.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

beforeAll(async () => {
  app = await testApp({ countryHeader: 'CF-IPCountry' });
  t = await createTenant(app);
  const res = await t.adminCall('POST', '/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword', de: 'Schwert' },
    prices: [{ amount: 1, currency: 'USD', is_default: true }],
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await app.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: `/api/v2/project/${t.projectId}${path}`, headers });

const geo = (res: { headers: Record<string, unknown> }) => ({
  locale: res.headers['x-user-locale-code'],
  country: res.headers['x-user-country-code'],
});

describe('with_geo', () => {
  it('answers the language and country of the answer in X-User-Locale-Code / X-User-Country-Code', async () => {
    const ios = await get('/items/virtual_items?with_geo=1&locale=de-DE&country=at');
    expect(ios.statusCode, ios.body).toBe(200);
    expect(geo(ios)).toEqual({ locale: 'de', country: 'AT' });
    expect(ios.json().items[0].name).toBe('Schwert');

    const android = await get('/items/virtual_items?limit=50&offset=0&with_geo=true', {
      'cf-ipcountry': 'FR',
    });
    expect(android.statusCode, android.body).toBe(200);
    expect(geo(android)).toEqual({ locale: 'en', country: 'FR' }); // the country of the trusted proxy header
  });

  it('leaves the country out when it is unknown, and sends nothing without with_geo or with with_geo=0', async () => {
    expect(geo(await get('/items/virtual_items?with_geo=1'))).toEqual({ locale: 'en', country: undefined });
    for (const q of ['', '?with_geo=0', '?with_geo=false']) {
      const res = await get(`/items/virtual_items${q}`, { 'cf-ipcountry': 'FR' });
      expect(res.statusCode, res.body).toBe(200);
      expect(geo(res)).toEqual({ locale: undefined, country: undefined });
    }
  });

  it('is taken by the other catalog reads too (single items, other lists)', async () => {
    for (const path of ['/items/virtual_items/sku/sword', '/items', '/items/bundle', '/items/game']) {
      const res = await get(`${path}?with_geo=1&country=DE`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      expect(geo(res), path).toEqual({ locale: 'en', country: 'DE' });
    }
  });

  it('refuses a value that is neither 0/1 nor true/false with the 422 envelope', async () => {
    const res = await get('/items/virtual_items?with_geo=yes');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
  });

  it('exposes both headers to browsers through CORS', async () => {
    const res = await get('/items/virtual_items?with_geo=1&country=DE', { origin: 'https://shop.example' });
    const exposed = String(res.headers['access-control-expose-headers'])
      .split(',')
      .map((h) => h.trim().toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['x-user-locale-code', 'x-user-country-code']));
  });

  it('spells the header names as the SDKs look them up, on the wire', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const raw = await new Promise<string[]>((resolve, reject) => {
      httpRequest(
        {
          port,
          host: '127.0.0.1',
          path: `/api/v2/project/${t.projectId}/items/virtual_items?with_geo=1&country=DE`,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawHeaders));
        },
      )
        .on('error', reject)
        .end();
    });
    const names = raw.filter((_, i) => i % 2 === 0);
    // the iOS SDK reads HTTPURLResponse.allHeaderFields["X-User-Locale-Code"], a case-sensitive lookup
    expect(names).toEqual(expect.arrayContaining(['X-User-Locale-Code', 'X-User-Country-Code']));
  });
});
