/**
 * The project directory (issue 14 §4; modules/tenancy/directory.ts): auth resolves projects, keys and secrets
 * there only — a cold get-order and the auth of a catalog read load no catalog snapshot — and a rotated secret or
 * replaced key is seen by auth at once in the writing process and, through the fan-out's `identity` message, in
 * another one. An unknown project answers as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, catalogGet, testApp } from '../helpers/app.js';
import { LocalFanout } from '../../src/fanout/fanout.js';
import {
  decodeMessage,
  encodeMessage,
  type FanoutMessage,
  type IdentityVersionMessage,
} from '../../src/fanout/messages.js';
import type { Executor } from '../../src/db/types.js';
import { ProjectDirectory } from '../../src/modules/tenancy/directory.js';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { testDatabase } from '../helpers/db.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

/** A fresh app on the same database (nothing cached), with every catalog snapshot load it does recorded. */
async function coldApp() {
  const cold = await testApp();
  const loads: number[] = [];
  cold.services.catalog.onLoad((l) => loads.push(l.projectId));
  return { cold, loads };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('auth never loads the catalog', () => {
  it('a cold get-order (user JWT or payment token) answers without loading a snapshot', async () => {
    const order = await swordOrder(f, 'dora');
    const token = await f.token('dora');
    const { cold, loads } = await coldApp();
    try {
      const url = `/api/v2/project/${f.t.projectId}/order/${order.order_id}`;
      const byJwt = await cold.inject({ method: 'GET', url, headers: bearer(token) });
      expect(byJwt.statusCode, byJwt.body).toBe(200);
      expect(byJwt.json()).toMatchObject({ order_id: order.order_id, status: 'new' });
      const byPaymentToken = await cold.inject({ method: 'GET', url, headers: bearer(order.token) });
      expect(byPaymentToken.statusCode, byPaymentToken.body).toBe(200);
      expect(loads).toEqual([]);
      expect(cold.services.catalog.loads).toEqual({ full: 0, delta: 0 });
      expect(cold.services.directory.loads.projects).toBe(1); // one read of the project, then memory
    } finally {
      await cold.close();
    }
  });

  it("a catalog read's auth loads no snapshot: a bad token is refused first, a good one loads it once for the page", async () => {
    const { cold, loads } = await coldApp();
    try {
      const refused = await catalogGet(cold, f.t.projectId, '/items/virtual_items', 'not.a.token');
      expect(refused.statusCode, refused.body).toBe(401);
      expect(refused.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
      expect(loads).toEqual([]);
      const served = await catalogGet(cold, f.t.projectId, '/items/virtual_items', await f.token('dora'));
      expect(served.statusCode, served.body).toBe(200);
      expect(loads).toEqual([f.t.projectId]);
    } finally {
      await cold.close();
    }
  });

  it('an unknown project is 404 on user, catalog and order routes, and 401/1020 on admin routes, as before', async () => {
    const unknown = 2_000_000_000;
    const token = await f.token('dora');
    const order = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${unknown}/order/1`,
      headers: bearer(token),
    });
    expect(order.statusCode, order.body).toBe(404);
    const items = await catalogGet(app, unknown, '/items/virtual_items');
    expect(items.statusCode, items.body).toBe(404);
    const envelope = {
      statusCode: 404,
      errorCode: 0,
      errorMessage: `Project with id = ${unknown} not found`,
    };
    expect(order.json()).toMatchObject(envelope);
    expect(items.json()).toMatchObject(envelope);
    const admin = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${unknown}/admin/items/virtual_items`,
      headers: { authorization: basic(unknown, f.t.apiKey) },
    });
    expect(admin.statusCode, admin.body).toBe(401);
    expect(admin.json()).toMatchObject({ statusCode: 401, errorCode: 1020 });
  });
});

describe('identity changes are seen by auth at once in the writing process', () => {
  const adminItems = (projectId: number, authorization: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v2/project/${projectId}/admin/items/virtual_items`,
      headers: { authorization },
    });

  it('a rotated JWT secret: tokens signed with the old one are refused, new ones accepted', async () => {
    const { tenancy } = app.services;
    const old = await f.token('rita');
    const url = `/api/v2/project/${f.t.projectId}/user/inventory/items`;
    expect((await app.inject({ method: 'GET', url, headers: bearer(old) })).statusCode).toBe(200);

    expect(await tenancy.rotateJwtSecret(f.t.projectId)).toBe(true);
    const refused = await app.inject({ method: 'GET', url, headers: bearer(old) });
    expect(refused.statusCode, refused.body).toBe(401);
    expect(refused.json()).toMatchObject({ errorCode: 1501 });
    const fresh = await tenancy.mintUserToken((await tenancy.getProject(f.t.projectId))!, 'rita');
    expect((await app.inject({ method: 'GET', url, headers: bearer(fresh) })).statusCode).toBe(200);
    expect(await tenancy.rotateJwtSecret(2_000_000_000)).toBe(false);
  });

  it('a replaced project key stops opening the project; a new merchant-wide key opens it at once', async () => {
    const { tenancy } = app.services;
    const t = f.t;
    expect((await adminItems(t.projectId, t.admin.authorization)).statusCode).toBe(200); // cached now
    const replaced = await tenancy.replaceApiKey(t.merchantId, t.projectId, 'test');
    expect((await adminItems(t.projectId, t.admin.authorization)).statusCode).toBe(401);
    expect((await adminItems(t.projectId, basic(t.projectId, replaced))).statusCode).toBe(200);

    const merchantWide = await tenancy.createApiKey(t.merchantId, null, 'later');
    expect((await adminItems(t.projectId, basic(t.projectId, merchantWide))).statusCode).toBe(200);
    const projects = await app.inject({
      method: 'GET',
      url: `/api/v2/merchant/${t.merchantId}/projects`,
      headers: { authorization: basic(t.merchantId, merchantWide) },
    });
    expect(projects.statusCode, projects.body).toBe(200);
  });
});

/** A fan-out that records what a process sends, and lets a test hand a message to this process's listeners. */
class TestFanout extends LocalFanout {
  readonly sent: FanoutMessage[] = [];
  override async inTransaction(_trx: Executor, message: FanoutMessage) {
    this.sent.push(message);
  }
  /** A message from another process arrives (through the wire form, as NOTIFY/Redis deliver it). */
  hear(message: FanoutMessage) {
    this.received(encodeMessage({ ...message, node: 'another-process' }));
  }
}

describe('identity changes reach other processes through the fan-out', () => {
  it('the identity message survives its wire form, with and without a project', () => {
    const project: IdentityVersionMessage = {
      type: 'identity',
      merchantId: 7,
      projectId: 9,
      version: 3,
      node: 'n1',
    };
    const merchant: IdentityVersionMessage = { type: 'identity', merchantId: 7, version: 4, node: 'n1' };
    expect(decodeMessage(encodeMessage(project))).toEqual(project);
    expect(decodeMessage(encodeMessage(merchant))).toEqual(merchant);
    expect(decodeMessage('{"t":"identity","m":-1,"v":2}')).toBeNull();
  });

  it("another process drops its cached project on the writer's message: replaced keys and rotated secrets", async () => {
    const db = (await testDatabase()).db;
    const writerFanout = new TestFanout();
    const writer = new TenancyService(db, new ProjectDirectory(db, writerFanout));
    const readerFanout = new TestFanout();
    const reader = new ProjectDirectory(db, readerFanout);
    const readerTenancy = new TenancyService(db, reader);

    const merchantId = await writer.createMerchant('directory-fanout');
    const projectId = await writer.createProject(merchantId, 'directory-fanout');
    const key = await writer.createApiKey(merchantId, projectId, 'k');
    const oldToken = await writer.mintUserToken((await writer.getProject(projectId))!, 'u1');
    expect(await reader.verifyProjectKey(projectId, key)).toBe(true); // cached in the reader now
    const before = (await reader.project(projectId))!;

    writerFanout.sent.length = 0;
    const replaced = await writer.replaceApiKey(merchantId, projectId, 'k');
    expect(await writer.verifyProjectKey(projectId, key)).toBe(false); // the writer: at once
    expect(writerFanout.sent).toEqual([
      { type: 'identity', merchantId, projectId, version: before.identity_version + 1 },
    ]);
    for (const m of writerFanout.sent) readerFanout.hear(m);
    expect(await reader.verifyProjectKey(projectId, key)).toBe(false);
    expect(await reader.verifyProjectKey(projectId, replaced)).toBe(true);

    await readerTenancy.verifyUserToken((await reader.project(projectId))!, oldToken); // verified and cached
    writerFanout.sent.length = 0;
    await writer.rotateJwtSecret(projectId);
    for (const m of writerFanout.sent) readerFanout.hear(m);
    const rotated = (await reader.project(projectId))!;
    expect(rotated.jwt_secret).not.toBe(before.jwt_secret);
    await expect(readerTenancy.verifyUserToken(rotated, oldToken)).rejects.toThrow();
  });

  it('a merchant-wide key change drops the merchant and every project of it in the other process', async () => {
    const db = (await testDatabase()).db;
    const writerFanout = new TestFanout();
    const writer = new TenancyService(db, new ProjectDirectory(db, writerFanout));
    const readerFanout = new TestFanout();
    const reader = new ProjectDirectory(db, readerFanout);

    const merchantId = await writer.createMerchant('directory-merchant');
    const projectId = await writer.createProject(merchantId, 'directory-merchant');
    expect(await reader.verifyProjectKey(projectId, 'none-yet')).toBe(false); // project cached
    expect(await reader.verifyMerchantKey(merchantId, 'none-yet')).toBe(false); // merchant cached

    writerFanout.sent.length = 0;
    const key = await writer.createApiKey(merchantId, null, 'wide');
    expect(writerFanout.sent).toEqual([{ type: 'identity', merchantId, version: expect.any(Number) }]);
    for (const m of writerFanout.sent) readerFanout.hear(m);
    expect(await reader.verifyMerchantKey(merchantId, key)).toBe(true);
    expect(await reader.verifyProjectKey(projectId, key)).toBe(true);
  });

  it('a reconnected fan-out (messages may be lost) empties the cache', async () => {
    const db = (await testDatabase()).db;
    const writer = new TenancyService(db);
    const merchantId = await writer.createMerchant('directory-resync');
    const projectId = await writer.createProject(merchantId, 'directory-resync');
    const fanout = new (class extends TestFanout {
      resync() {
        this.resynced();
      }
    })();
    const reader = new ProjectDirectory(db, fanout);
    await reader.project(projectId);
    expect(reader.stats.entries).toBe(1);
    expect(reader.stats.bytes).toBeGreaterThan(0);
    fanout.resync();
    expect(reader.stats).toEqual({ bytes: 0, entries: 0 });
  });
});
