import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemshop, itemshopServerOptions, type ItemshopOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Services } from '../../src/services.js';
import { basic } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

// Issue 14 §6: a studio mounts Itemshop inside its own Fastify server, next to its own routes.
const config = loadConfig({}, { dataDir: 'memory://', logLevel: 'silent', pressureMaxLoopDelayMs: 0 });

describe('Itemshop as a Fastify plugin', () => {
  let host: FastifyInstance;
  let services: Services;

  beforeAll(async () => {
    host = Fastify(itemshopServerOptions(config));
    host.get('/studio/hello', async () => ({ hello: 'studio' }));
    // wrapped in fastify-plugin: the host sees `services` (without it, Itemshop stays encapsulated)
    await host.register(
      fp<ItemshopOptions>((instance, opts) => itemshop(instance, opts)),
      { config, database: await testDatabase() },
    );
    await host.ready();
    services = (host as unknown as { services: Services }).services;
  });
  afterAll(async () => host.close());

  it("serves the host's own routes and Itemshop's operations on one server", async () => {
    const hello = await host.inject({ method: 'GET', url: '/studio/hello' });
    expect(hello.json()).toEqual({ hello: 'studio' });

    const merchantId = await services.tenancy.createMerchant('plugin-merchant');
    const projectId = await services.tenancy.createProject(merchantId, 'plugin-project');
    const key = await services.tenancy.createApiKey(merchantId, projectId, 'plugin');
    const created = await host.inject({
      method: 'POST',
      url: `/api/v2/project/${projectId}/admin/items/virtual_items`,
      headers: { authorization: basic(projectId, key) },
      payload: { sku: 'plugin-sword', name: { en: 'Sword' }, prices: [{ currency: 'USD', amount: 3 }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const list = await host.inject({
      method: 'GET',
      url: `/api/v2/project/${projectId}/items/virtual_items`,
    });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { sku: string }[] }).items.map((i) => i.sku)).toEqual(['plugin-sword']);
  });

  it('answers errors of its routes in the Xsolla envelope inside the host', async () => {
    const res = await host.inject({ method: 'GET', url: '/api/v2/project/1/admin/items/virtual_items' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, errorCode: expect.any(Number) });
  });
});

describe('Itemshop registered encapsulated', () => {
  it('keeps its decorations and error handler inside its own context', async () => {
    const host = Fastify();
    host.get('/studio/boom', async () => {
      throw new Error('studio error');
    });
    await host.register(itemshop, { config, database: await testDatabase() });
    await host.ready();
    expect((host as unknown as { services?: unknown }).services).toBeUndefined();
    const boom = await host.inject({ method: 'GET', url: '/studio/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toMatchObject({ message: 'studio error' }); // Fastify's own envelope, not Xsolla's
    const items = await host.inject({ method: 'GET', url: '/api/v2/project/999999/items/virtual_items' });
    expect(items.statusCode).toBe(404);
    await host.close();
  });
});
