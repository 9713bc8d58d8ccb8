/**
 * The demo store's pictures are Itemshop's own (ADR 0036): files in public/demo served under /static/demo/, named by
 * path in the demo files and made absolute on the server's base URL when seeded — no picture comes from another
 * company's CDN, so an offline self-hosted store shows them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import demoBundles from '../../src/demo/bundles.json' with { type: 'json' };
import demoGames from '../../src/demo/games.json' with { type: 'json' };
import demoStore from '../../src/demo/demo-store.json' with { type: 'json' };
import { DEMO_BUNDLES, DEMO_STORE, seedDemo } from '../../src/demo/seed.js';
import { PUBLIC_DIR } from '../../src/http/static.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { testApp } from '../helpers/app.js';

/** Every `image_url` anywhere in a JSON value. */
function imageUrls(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) imageUrls(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === 'image_url' && typeof x === 'string') out.push(x);
      else imageUrls(x, out);
    }
  return out;
}

/** Asserts `body` is a 256×256 PNG. */
function expectPng(body: Buffer, what: string) {
  expect(body.subarray(0, 8).toString('hex'), what).toBe('89504e470d0a1a0a');
  const png = PNG.sync.read(body);
  expect([png.width, png.height], what).toEqual([256, 256]);
}

const DEMO_FILES = { 'demo-store.json': demoStore, 'bundles.json': demoBundles, 'games.json': demoGames };

describe('demo pictures', () => {
  it('are files of the project, named by path in the demo files (no other host)', () => {
    for (const [file, json] of Object.entries(DEMO_FILES)) {
      const urls = imageUrls(json);
      expect(urls.length, file).toBeGreaterThan(0);
      for (const url of urls) {
        expect(url, file).toMatch(/^\/static\/demo\/[a-z0-9_]+\.png$/);
        expectPng(readFileSync(join(PUBLIC_DIR, url.slice('/static/'.length))), url);
      }
    }
    expect(imageUrls(DEMO_FILES)).toHaveLength(16);
  });

  describe('seeded and served by the app', () => {
    let app: FastifyInstance;
    let projectId: number;
    const base = 'https://shop.example.test:8443';

    beforeAll(async () => {
      app = await testApp();
      // The demo under another project id (project 59080 belongs to demo.test.ts), pictures on `base`.
      projectId = 700_000 + Math.floor(Math.random() * 200_000);
      const merchantId = 900_000 + Math.floor(Math.random() * 90_000);
      const store = {
        ...DEMO_STORE,
        merchant: { merchant_id: merchantId, name: 'demo pictures' },
        project: { project_id: projectId, name: 'demo pictures' },
      };
      const seeded = await seedDemo(app.services, store, DEMO_BUNDLES, { baseUrl: `${base}/` });
      expect(seeded.created).toBe(true);
    });
    afterAll(async () => app.close());

    it('gives every catalog item an absolute picture URL on the base URL, which the app serves as a PNG', async () => {
      const urls: string[] = [];
      for (const path of [
        '/items/virtual_items',
        '/items/virtual_currency',
        '/items/virtual_currency/package',
        '/items/bundle',
        '/items/game',
      ]) {
        const res = await app.inject({ method: 'GET', url: `/api/v2/project/${projectId}${path}?limit=50` });
        expect(res.statusCode, path).toBe(200);
        urls.push(...imageUrls(res.json().items));
      }
      expect(urls.length).toBeGreaterThanOrEqual(16);
      for (const url of urls) {
        expect(url).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}/static/demo/[a-z0-9_]+\\.png$`));
        const res = await app.inject({ method: 'GET', url: url.slice(base.length) });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toBe('image/png');
        expect(res.headers['cache-control'], url).toMatch(/max-age=\d+/);
        expectPng(res.rawPayload, url);
      }
    });
  });

  it('a server started with the demo on a free port points the pictures at itself', async () => {
    const config = loadConfig(
      {},
      {
        dataDir: 'memory://',
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        demo: true,
        webhookWorker: false,
      },
    );
    const server = await startServer(config, { handleSignals: false, print: () => {} });
    try {
      const res = await fetch(`${server.url}/api/v2/project/59080/items/virtual_items`);
      const items = ((await res.json()) as { items: { sku: string; image_url: string }[] }).items;
      expect(items.map((i) => i.image_url)).toEqual(
        items.map((i) => `${server.url}/static/demo/${i.sku}.png`),
      );
      const picture = await fetch(items[0].image_url);
      expect(picture.status).toBe(200);
      expect(picture.headers.get('content-type')).toBe('image/png');
      expectPng(Buffer.from(await picture.arrayBuffer()), items[0].image_url);
    } finally {
      await server.close();
    }
  });
});
