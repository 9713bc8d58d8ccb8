/**
 * No input gives a 5xx or an answer outside the error envelope (issue 13 §2, ADR 0045):
 * - every integer path or query parameter of every operation is range-checked (a positive 32-bit id), and a user
 *   route never runs without a user, whatever the project id;
 * - free-form JSON is bounded: a body nested deeper than 32 levels, `custom_parameters` deeper than 8 levels, with
 *   more than 200 keys or longer than 32,768 characters, deep `custom_attributes` or `settings.ui` — 422/1102;
 * - Fastify's own errors (a URL that is not valid percent-encoding, a path parameter over 4,096 characters) and
 *   the HTTP parser's (headers over 16 kB, a malformed request) carry the envelope, on a real socket too.
 */
import { connect } from 'node:net';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { MAX_ID } from '../../src/http/schemas.js';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
});
afterAll(async () => app.close());

/** The Xsolla envelope with `status` (and `code`). */
function expectEnvelope(res: { statusCode: number; body: string }, status: number, code?: number) {
  expect(res.statusCode, res.body).toBe(status);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body.statusCode).toBe(status);
  expect(Number.isInteger(body.errorCode)).toBe(true);
  expect(typeof body.errorMessage).toBe('string');
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
  if (code !== undefined) expect(body.errorCode).toBe(code);
  return body;
}

type Schema = {
  type?: string | string[];
  maximum?: number;
  minimum?: number;
  properties?: Record<string, Schema>;
};

/** Ids of `bigint` columns (the outbox's event ids, Event API): bounded by the largest exact JS integer instead. */
const BIGINT_IDS = new Set(['event_id', 'after_id']);

describe('integer ids', () => {
  it('every integer path and query parameter of every operation is bounded by a 32-bit maximum', () => {
    const unbounded: string[] = [];
    for (const op of operations) {
      for (const part of ['params', 'querystring'] as const) {
        const props = (op.schema[part] as Schema | undefined)?.properties ?? {};
        for (const [name, s] of Object.entries(props)) {
          const types = Array.isArray(s.type) ? s.type : [s.type];
          if (!types.includes('integer') && !types.includes('number')) continue;
          const max = BIGINT_IDS.has(name) ? Number.MAX_SAFE_INTEGER : MAX_ID;
          if (s.maximum === undefined || s.maximum > max || s.minimum === undefined)
            unbounded.push(`${op.docSlug} ${part}.${name}`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('a project id beyond the storage range never reaches a user route: 404, not 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v2/project/2147483648/user/inventory/items' });
    expectEnvelope(res, 404);
  });

  it.each(['2147483648', '99999999999999999999', '0', '-1', '1e3', 'abc'])(
    'project id %s on every user, cart and catalog operation: a 4xx envelope, with or without a token',
    async (projectId) => {
      const token = await f.token('bounds-user');
      for (const op of operations.filter((o) => o.path.startsWith('/v2/project/{project_id}/'))) {
        if (op.auth === 'basic' || op.auth === 'merchant') continue;
        const url = `/api${op.path.replace('{project_id}', projectId).replace(/\{[^}]+\}/g, 'x')}`;
        for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
          const res = await app.inject({
            method: op.method as InjectOptions['method'],
            url,
            headers,
            ...(op.method === 'POST' || op.method === 'PUT' ? { payload: {} } : {}),
          });
          expect(res.statusCode, `${op.docSlug}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${op.docSlug}: ${res.body}`).toBeLessThan(500);
          expectEnvelope(res, res.statusCode);
        }
      }
    },
  );

  it('limit, offset and ids in queries beyond 32 bits are 422, not 500', async () => {
    const { t } = f;
    for (const query of ['limit=2147483648', 'offset=9007199254740993', 'offset=1e30']) {
      const res = await t.adminCall('GET', `/admin/items/virtual_items?${query}`);
      expectEnvelope(res, 422, 1102);
    }
    const codes = await t.adminCall(
      'GET',
      '/admin/items/game/key/request/sku/quest_steam?user_email=a@b.c&quantity=1&reason=x&region_id=2147483648',
    );
    expectEnvelope(codes, 422, 1102);
  });
});

describe('free-form JSON', () => {
  const nestedObject = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
  const order = (payload: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v2/project/${f.t.projectId}/payment/item/sword`,
      headers: { authorization: `Bearer ${userToken}`, 'content-type': 'application/json' },
      payload,
    });
  let userToken: string;
  beforeAll(async () => {
    userToken = await f.token('bounds-buyer');
  });

  it('custom_parameters 10,000 levels deep: 422/1102, not a stack overflow', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const res = await order(`{"custom_parameters":{"a":${deep}}}`);
    const body = expectEnvelope(res, 422, 1102);
    expect(body.errorMessage).toMatch(/nested deeper than 32 levels/);
  });

  it('custom_parameters: 8 levels are stored, 9 are 422/1102 naming the property', async () => {
    const ok = await order(`{"custom_parameters":${nestedObject(8)}}`);
    expect(ok.statusCode, ok.body).toBe(200);
    const stored = await app.services.database.db
      .selectFrom('orders')
      .select('custom_parameters')
      .where('order_id', '=', ok.json().order_id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.custom_parameters)).toBe(nestedObject(8));
    const res = await order(`{"custom_parameters":${nestedObject(9)}}`);
    const body = expectEnvelope(res, 422, 1102);
    expect(body.errorMessageExtended).toEqual([
      { property: 'custom_parameters', message: 'Must not be nested deeper than 8 levels' },
    ]);
  });

  it('custom_parameters with more than 200 keys or over 32,768 characters: 422/1102', async () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect((await order(JSON.stringify({ custom_parameters: keys(200) }))).statusCode).toBe(200);
    expectEnvelope(await order(JSON.stringify({ custom_parameters: keys(201) })), 422, 1102);
    const long = await order(JSON.stringify({ custom_parameters: { text: 'x'.repeat(33_000) } }));
    const body = expectEnvelope(long, 422, 1102);
    expect(body.errorMessageExtended).toEqual([
      { property: 'custom_parameters', message: 'JSON can’t exceed 32768 characters.' },
    ]);
  });

  it('settings.ui deeper than 8 levels: 422/1102', async () => {
    const res = await order(`{"settings":{"ui":${nestedObject(9)}}}`);
    const body = expectEnvelope(res, 422, 1102);
    expect(body.errorMessageExtended).toEqual([
      { property: 'settings.ui', message: 'Must not be nested deeper than 8 levels' },
    ]);
  });

  it('custom_attributes deeper than 8 levels: 422/1102 and no item', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${f.t.projectId}/admin/items/virtual_items`,
      headers: { ...f.t.admin, 'content-type': 'application/json' },
      payload: `{"sku":"deep","name":{"en":"Deep"},"custom_attributes":{"a":${nestedObject(8)}}}`,
    });
    expectEnvelope(res, 422, 1102);
    expect((await f.t.adminCall('GET', '/admin/items/virtual_items/sku/deep')).statusCode).toBe(404);
  });

  it('any body nested deeper than 32 levels is 422/1102, on every operation with a body', async () => {
    for (const op of operations.filter((o) => o.schema.body)) {
      const url = `/api${op.path.replace('{project_id}', String(f.t.projectId)).replace(/\{[^}]+\}/g, 'x')}`;
      const res = await app.inject({
        method: op.method as InjectOptions['method'],
        url,
        headers: { ...f.t.admin, 'content-type': 'application/json' },
        payload: `{"a":${nestedObject(40)}}`,
      });
      // authentication comes first (401 for a user route with the admin header); otherwise the depth bound
      expect([401, 422], `${op.docSlug}: ${res.body}`).toContain(res.statusCode);
      expectEnvelope(res, res.statusCode);
    }
  });
});

describe("Fastify's and the HTTP parser's errors", () => {
  it('a URL that is not valid percent-encoding: 400 envelope', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${f.t.projectId}/items/virtual_items/sku/%ff`,
    });
    expectEnvelope(res, 400, 1102);
  });

  it('a path parameter over 4,096 characters: 414 envelope', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${f.t.projectId}/items/virtual_items/sku/${'a'.repeat(5000)}`,
    });
    expectEnvelope(res, 414, 0);
  });

  describe('on a real socket', () => {
    let port: number;
    beforeAll(async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = (app.server.address() as { port: number }).port;
    });

    /** Sends raw bytes; resolves with what the server wrote before closing. */
    const raw = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
        socket.on('data', (c) => chunks.push(c));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
    const parse = (response: string) => {
      const [head, body] = response.split('\r\n\r\n');
      return { statusCode: Number(head.split(' ')[1]), head, body };
    };

    it('headers over 16 kB: 431 envelope', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/project/${f.t.projectId}/items`, {
        headers: { 'x-big': 'a'.repeat(20_000) },
      });
      expectEnvelope({ statusCode: res.status, body: await res.text() }, 431, 0);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('a malformed request: 400 envelope, connection closed', async () => {
      const res = parse(await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      expectEnvelope(res, 400);
      expect(res.head).toMatch(/Connection: close/i);
    });

    it('a bad Content-Length: 400 envelope', async () => {
      const res = parse(
        await raw(
          `POST /api/v2/project/${f.t.projectId}/cart/fill HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`,
        ),
      );
      expectEnvelope(res, 400);
    });

    it('still serves normal requests', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/project/${f.t.projectId}/items/virtual_items`);
      expect(res.status).toBe(200);
    });
  });
});
