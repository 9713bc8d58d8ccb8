/**
 * Logs people can read (issue 15 item 2; issue 14 item 6): one line per request with method, path, status,
 * duration, operation id (`docSlug`) and `transactionId`; every line logged while serving a request carries the
 * same `docSlug` and `transactionId`; successful reads at `debug`, writes and errors at `info` (5xx at `error`);
 * secrets never appear — credentials headers, payment tokens in URLs, JWTs and URL passwords in messages, and
 * secret-named fields; JSON lines by default off a terminal, one readable line each with LOG_FORMAT=pretty (or a
 * terminal).
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { isPretty, requestLevel, scrubSecrets } from '../../src/ops/logging.js';
import { createTenant, type Tenant } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

/** An app whose log lines are collected. */
async function loggedApp(overrides: Partial<Config>) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const config = loadConfig({}, { dataDir: 'memory://', ...overrides });
  const app = await buildApp(config, { database: await testDatabase(), logDestination: stream });
  return { app, lines: () => text.split('\n').filter(Boolean), clear: () => (text = '') };
}

const JWT_LIKE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsb2ctdGVzdCIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

describe('JSON log lines', () => {
  let app: FastifyInstance;
  let t: Tenant;
  let logs: Awaited<ReturnType<typeof loggedApp>>;
  const entries = () => logs.lines().map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    logs = await loggedApp({ logLevel: 'info', logFormat: 'json' });
    app = logs.app;
    // Routes of this test, added like any route (they get their operation id from the schema).
    app.get('/test/log-inside', { schema: { operationId: 'test-log-inside', hide: true } }, async (req) => {
      req.log.info({ detail: 1 }, 'inside the handler');
      req.log.info({ apiKey: 'k-123', nested: { secret: 's-456', token: 't-789' } }, 'with secrets');
      req.log.warn(`calling postgres://shop:hunter2@db.example:5432/x with ${JWT_LIKE}`);
      return { ok: true };
    });
    app.get('/test/boom', { schema: { operationId: 'test-boom', hide: true } }, async () => {
      throw new Error('kaput');
    });
    t = await createTenant(app);
  });
  afterAll(async () => app.close());

  it('writes one info line for a write with method, path, status, duration, docSlug and transactionId', async () => {
    logs.clear();
    const res = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'log_sword',
      name: { en: 'Sword' },
      prices: [{ amount: 1, currency: 'USD', is_default: true }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const lines = entries();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'POST',
      path: `/api/v2/project/${t.projectId}/admin/items/virtual_items`,
      status: 201,
      docSlug: 'admin-create-virtual-item',
      msg: expect.stringMatching(/^POST \/api\/v2\/project\/\d+\/admin\/items\/virtual_items 201 [\d.]+ ms$/),
    });
    expect(lines[0].durationMs).toEqual(expect.any(Number));
    expect(lines[0].transactionId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(lines[0])).not.toContain(t.apiKey);
  });

  it('logs a successful catalog read at debug only (nothing at info), and a 404 read at info', async () => {
    logs.clear();
    expect((await app.inject(`/api/v2/project/${t.projectId}/items/virtual_items`)).statusCode).toBe(200);
    expect(logs.lines()).toEqual([]);
    const missing = await app.inject(`/api/v2/project/${t.projectId}/items/virtual_items/sku/none`);
    expect(missing.statusCode).toBe(404);
    expect(entries()).toMatchObject([
      {
        level: 30,
        status: 404,
        docSlug: 'get-virtual-items-sku',
        transactionId: missing.json().transactionId,
      },
    ]);
  });

  it('gives every line of a request its docSlug and transactionId, and redacts secrets in them', async () => {
    logs.clear();
    await app.inject({ url: '/test/log-inside', headers: { authorization: `Bearer ${JWT_LIKE}` } });
    const lines = entries();
    expect(lines.map((l) => l.msg)).toEqual([
      'inside the handler',
      'with secrets',
      'calling postgres://shop:[redacted]@db.example:5432/x with [redacted]',
    ]);
    expect(new Set(lines.map((l) => l.docSlug))).toEqual(new Set(['test-log-inside']));
    expect(new Set(lines.map((l) => l.transactionId)).size).toBe(1);
    expect(lines[1]).toMatchObject({
      apiKey: '[redacted]',
      nested: { secret: '[redacted]', token: '[redacted]' },
    });
    const all = logs.lines().join('\n');
    for (const secret of ['k-123', 's-456', 't-789', 'hunter2', JWT_LIKE]) expect(all).not.toContain(secret);
  });

  it('logs a failure with its error at error level, under the same docSlug', async () => {
    logs.clear();
    const res = await app.inject('/test/boom');
    expect(res.statusCode).toBe(500);
    const lines = entries();
    expect(lines.map((l) => [l.level, l.docSlug])).toEqual([
      [50, 'test-boom'],
      [50, 'test-boom'],
    ]);
    expect(lines[0]).toMatchObject({ err: { message: 'kaput' }, msg: 'unhandled error' });
    expect(lines[1]).toMatchObject({ status: 500, msg: expect.stringMatching(/^GET \/test\/boom 500/) });
  });

  it('never logs a payment token of a pay station URL', async () => {
    logs.clear();
    const token = 'pt_0123456789abcdef0123456789abcdef';
    await app.inject({ method: 'POST', url: `/api/paystation/${token}/pay` });
    await app.inject({ url: `/paystation4/?token=${token}&lang=en` });
    await app.inject({ url: `/api/paystation/${token}` });
    const all = logs.lines().join('\n');
    expect(logs.lines().length).toBeGreaterThanOrEqual(2);
    expect(all).not.toContain(token);
    expect(all).toContain('/api/paystation/[redacted]/pay');
    expect(all).toContain('/paystation4/?token=[redacted]&lang=en');
  });
});

describe('pretty log lines', () => {
  it('writes one readable line per entry (level, method, path, status, duration, then the ids)', async () => {
    const logs = await loggedApp({ logLevel: 'debug', logFormat: 'pretty' });
    try {
      const res = await logs.app.inject('/health/live');
      expect(res.statusCode).toBe(200);
      const lines = logs.lines();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^\[\d\d:\d\d:\d\d\] DEBUG: GET \/health\/live 200 [\d.]+ ms \{"transactionId":"[0-9a-f]{32}","docSlug":"health-live"\}$/,
      );
    } finally {
      await logs.app.close();
    }
  });

  it('is chosen on a terminal (LOG_FORMAT=auto) and forced either way by LOG_FORMAT', () => {
    expect(isPretty('auto', true)).toBe(true);
    expect(isPretty('auto', false)).toBe(false);
    expect(isPretty('pretty', false)).toBe(true);
    expect(isPretty('json', true)).toBe(false);
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});

describe('levels and scrubbing rules', () => {
  it('puts reads at debug, writes and client errors at info, server errors at error', () => {
    expect(requestLevel('GET', 200)).toBe('debug');
    expect(requestLevel('HEAD', 304)).toBe('debug');
    expect(requestLevel('POST', 200)).toBe('info');
    expect(requestLevel('DELETE', 204)).toBe('info');
    expect(requestLevel('GET', 401)).toBe('info');
    expect(requestLevel('POST', 503)).toBe('error');
  });

  it('scrubs tokens, keys, JWTs and URL passwords from any text', () => {
    expect(scrubSecrets('/x?key=abc&token=def&page=2')).toBe('/x?key=[redacted]&token=[redacted]&page=2');
    expect(scrubSecrets('redis://:pw@cache:6379')).toBe('redis://:[redacted]@cache:6379');
    expect(scrubSecrets(`Bearer ${JWT_LIKE}.`)).toBe('Bearer [redacted].');
    expect(scrubSecrets('/api/paystation/abc/cancel')).toBe('/api/paystation/[redacted]/cancel');
    expect(scrubSecrets('/api/v2/project/1/items')).toBe('/api/v2/project/1/items');
  });
});
