/**
 * `/metrics` (issue 15 item 1): after purchases as a player makes them — paid on the pay station, canceled,
 * refunded, expired, bought for virtual currency — a scrape shows the orders of the project by event, the revenue
 * and refunds by currency, the virtual currency spent, the webhook deliveries, the request series of each
 * operation id, the catalog snapshot loads and page-cache hits, the pool and the process. `METRICS_TOKEN` guards
 * the endpoint; the Grafana dashboard in docs/ only uses series the endpoint serves.
 *
 * Each app has its own registry, so the counters of this file's app count exactly what this file did — except
 * webhook attempts on PostgreSQL, where the worker of a test file running in parallel may claim the event first.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { families, sample } from '../helpers/prometheus.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';
import { WebhookReceiver, waitFor } from './webhooks-helpers.js';

let now = Date.now();
let app: FastifyInstance;
let f: ShopFixture;
let receiver: WebhookReceiver;
const attemptsOfThisApp: string[] = [];

beforeAll(async () => {
  app = await testApp(
    { orderTtlSeconds: 600, orderSweepIntervalSeconds: 0, webhookPollIntervalMs: 100 },
    { clock: () => now },
  );
  await app.ready(); // starts the webhook worker
  app.services.webhooks.worker.onAttempt((e) => attemptsOfThisApp.push(e.outcome));
  f = await shopFixture(app);
  receiver = await WebhookReceiver.start(() => 204);
  const put = await f.t.adminCall('PUT', '/admin/webhook', {
    url: receiver.url,
    secret: 'metrics-secret',
    is_enabled: true,
  });
  expect(put.statusCode, put.body).toBe(204);
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
};

describe('metrics after purchases', () => {
  let text: string;
  const project = () => String(f.t.projectId);

  beforeAll(async () => {
    // A: paid on the pay station (9.99 USD), then refunded by the admin.
    const a = await swordOrder(f, 'ann');
    expect((await f.anon('POST', `/paystation/${a.token}/pay`)).statusCode).toBe(200);
    const refund = await f.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${a.order_id}/refund`,
    );
    expect(refund.statusCode, refund.body).toBe(200);
    // B: canceled by the buyer on the pay station.
    const b = await swordOrder(f, 'bob');
    expect((await f.anon('POST', `/paystation/${b.token}/cancel`)).statusCode).toBe(200);
    // C: a shield for 25 gold (new → paid → done at once).
    await f.credit('dee', 30);
    const c = await f.user('dee', 'POST', '/payment/item/shield/virtual/gold');
    expect(c.statusCode, c.body).toBe(200);
    // D: not paid in time.
    await swordOrder(f, 'eve');
    now += 601_000;
    expect(await app.services.orders.expireDue(new Date(now))).toBeGreaterThanOrEqual(1);
    // The same catalog page twice: rendered once, then served from the cache.
    for (let i = 0; i < 2; i++)
      expect((await f.anon('GET', `/v2/project/${f.t.projectId}/items/virtual_items`)).statusCode).toBe(200);
    // The webhooks of A (order_paid, then order_canceled for the refund) reach the receiver.
    await waitFor('two webhooks of order A', () => receiver.of(a.order_id).length >= 2);
    text = await scrape();
  });

  it('counts the orders of the project by event', () => {
    const orders = (event: string) => sample(text, 'itemshop_orders_total', { project_id: project(), event });
    expect(orders('created')).toBe(4);
    expect(orders('paid')).toBe(2);
    expect(orders('delivered')).toBe(2);
    expect(orders('canceled')).toBe(1);
    expect(orders('refunded')).toBe(1);
    expect(orders('expired')).toBe(1);
  });

  it('adds up the revenue and refunds by currency, and the virtual currency spent', () => {
    const labels = { project_id: project(), currency: 'USD' };
    expect(sample(text, 'itemshop_revenue_total', labels)).toBeCloseTo(9.99, 6);
    expect(sample(text, 'itemshop_refunds_total', labels)).toBeCloseTo(9.99, 6);
    expect(
      sample(text, 'itemshop_virtual_currency_spent_total', { project_id: project(), currency: 'gold' }),
    ).toBe(25);
  });

  it('counts the webhook deliveries of this process and shows the outbox', () => {
    const delivered = sample(text, 'itemshop_webhook_deliveries_total', { outcome: 'delivered' });
    const mine = attemptsOfThisApp.filter((o) => o === 'delivered').length;
    expect(delivered).toBe(mine);
    // On PGlite the database belongs to this test worker: this app's worker sent both webhooks of order A.
    if (testEngine === 'pglite') expect(mine).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'itemshop_webhook_delivery_duration_seconds_count')).toBe(
      attemptsOfThisApp.filter((o) => o !== 'discarded').length,
    );
    expect(sample(text, 'itemshop_webhook_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'itemshop_webhook_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('has a request series per operation id and status, with latencies', () => {
    const requests = (operation: string, method: string, status: string) =>
      sample(text, 'itemshop_http_requests_total', { operation, method, status });
    expect(requests('create-order-with-item', 'POST', '200')).toBe(3);
    expect(requests('paystation-pay', 'POST', '200')).toBe(1);
    expect(requests('paystation-cancel', 'POST', '200')).toBe(1);
    expect(requests('create-order-with-item-for-virtual-currency', 'POST', '200')).toBe(1);
    expect(requests('admin-refund-order', 'POST', '200')).toBe(1);
    expect(requests('get-virtual-items', 'GET', '200')).toBe(2);
    const latency = { operation: 'create-order-with-item', method: 'POST', status: '200' };
    expect(sample(text, 'itemshop_http_request_duration_seconds_count', latency)).toBe(3);
    expect(sample(text, 'itemshop_http_request_duration_seconds_bucket', { ...latency, le: '+Inf' })).toBe(3);
    expect(sample(text, 'itemshop_http_request_duration_seconds_sum', latency)).toBeGreaterThan(0);
  });

  it('counts catalog snapshot loads and page-cache hits', () => {
    expect(sample(text, 'itemshop_catalog_snapshot_loads_total', { kind: 'full' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'itemshop_catalog_snapshot_load_duration_seconds_count', { kind: 'full' })).toBe(
      sample(text, 'itemshop_catalog_snapshot_loads_total', { kind: 'full' }),
    );
    expect(
      sample(text, 'itemshop_catalog_page_cache_requests_total', { result: 'hit' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'itemshop_catalog_page_cache_requests_total', { result: 'miss' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('shows the database pool, the event-loop lag and the process', () => {
    expect(sample(text, 'itemshop_db_pool_connections_max')).toBe(testEngine === 'pglite' ? 1 : 10);
    expect(sample(text, 'itemshop_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'itemshop_db_pool_connections_waiting')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'itemshop_info', { engine: testEngine })).toBe(1);
  });

  it('is what the Grafana dashboard in docs/ reads', () => {
    const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    JSON.parse(dashboard);
    const served = families(text);
    const used = new Set(
      [...dashboard.matchAll(/\b((?:itemshop|process|nodejs)_[a-z0-9_]+)/g)].map((m) =>
        m[1].replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((name) => !served.has(name) && !served.has(name.replace(/_total$/, '')));
    expect(missing).toEqual([]);
    // Every family of the app is on the dashboard.
    const unused = [...served].filter(
      (name) => name.startsWith('itemshop_') && ![...used].some((u) => u === name || u === `${name}_total`),
    );
    expect(unused).toEqual([]);
  });

  // NaN is spelled `Nan` by prom-client for an empty event-loop histogram; Prometheus parses floats case-insensitively.
  it('parses as Prometheus text: every sample line is a name, labels and a number', () => {
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(50);
    const malformed = lines.filter(
      (l) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (NaN|[+-]Inf|-?[0-9.]+(e[+-]?[0-9]+)?)$/i.test(l),
    );
    expect(malformed).toEqual([]);
  });
});

describe('METRICS_TOKEN', () => {
  let guarded: FastifyInstance;
  beforeAll(async () => {
    guarded = await testApp({ metricsToken: 'scrape-me' });
  });
  afterAll(async () => guarded.close());

  it('refuses a scrape without the bearer token, or with another, in the error envelope', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic c2NyYXBlLW1l' }]) {
      const res = await guarded.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
      expect(res.json().transactionId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('answers the scrape with the token', async () => {
    const res = await guarded.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-me' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE itemshop_http_requests_total counter');
  });
});
