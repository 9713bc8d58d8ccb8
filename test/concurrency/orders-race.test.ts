/**
 * Purchases under real parallel requests on PostgreSQL (DESIGN §5): order status moves by compare-and-set and
 * balances by one conditional UPDATE, so
 * - 50 parallel "pay" calls on one order deliver it once (one order_paid webhook, one grant), all answer 200;
 * - 100 parallel virtual-currency purchases from a balance that covers 60 give exactly 60 orders, 40 answers
 *   422/5006, and the balance ends at the exact remainder;
 * - parallel create-order calls with one Idempotency-Key create one order.
 * Runs only with TEST_DATABASE_URL (PGlite has one connection: nothing runs in parallel there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL)
  console.warn('orders concurrency: TEST_DATABASE_URL is not set — the parallel purchase races are skipped');

describe.skipIf(!PG_URL)('purchases under parallel requests (PostgreSQL)', () => {
  let app: FastifyInstance;
  let f: ShopFixture;

  beforeAll(async () => {
    app = await testApp({ webhookWorker: false });
    f = await shopFixture(app);
    const hook = await f.t.adminCall('PUT', '/admin/webhook', {
      url: 'http://127.0.0.1:9/webhook',
      secret: 'race-secret',
      is_enabled: true,
    });
    expect(hook.statusCode, hook.body).toBeLessThan(300);
  });
  afterAll(async () => app?.close());

  it('50 parallel pay clicks on one order: one delivery, one order_paid webhook', async () => {
    const created = await f.user('racer', 'POST', '/payment/item/arrows', { quantity: 3 });
    expect(created.statusCode, created.body).toBe(200);
    const { order_id, token } = created.json();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => f.anon('POST', `/paystation/${token}/pay`)),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((r) => r.json().status))).toEqual(new Set(['done']));
    expect(await f.held('racer', 'arrows')).toBe(3);
    const { db } = app.services.database;
    const outbox = await db
      .selectFrom('webhook_outbox')
      .select('notification_type')
      .where('order_id', '=', order_id)
      .execute();
    expect(outbox).toEqual([{ notification_type: 'order_paid' }]);
    const paid = await db
      .selectFrom('order_events')
      .select('type')
      .where('order_id', '=', order_id)
      .where('type', '=', 'paid')
      .execute();
    expect(paid).toHaveLength(1);
  });

  it('100 parallel virtual-currency purchases from a balance covering 60: 60 succeed, 40 get 422/5006', async () => {
    await f.credit('spender', 605);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => f.user('spender', 'POST', '/payment/item/arrows/virtual/gold', {})),
    );
    const ok = answers.filter((r) => r.statusCode === 200);
    const refused = answers.filter((r) => r.statusCode !== 200);
    expect(ok).toHaveLength(60);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.json()).toMatchObject({ statusCode: 422, errorCode: 5006 });
    expect(new Set(ok.map((r) => r.json().order_id)).size).toBe(60);
    expect(await f.gold('spender')).toBe(5);
    expect(await f.held('spender', 'arrows')).toBe(60);
    const orders = await app.services.database.db
      .selectFrom('orders')
      .select('status')
      .where('project_id', '=', f.t.projectId)
      .where('user_id', '=', 'spender')
      .execute();
    expect(orders).toHaveLength(60);
    expect(orders.every((o) => o.status === 'done')).toBe(true);
  });

  it('parallel create-order calls with one Idempotency-Key create one order', async () => {
    const headers = { 'idempotency-key': `race-${f.t.projectId}` };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        f.user('keyed', 'POST', '/payment/item/sword', { quantity: 1 }, headers),
      ),
    );
    const ok = answers.filter((r) => r.statusCode === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of answers) expect([200, 409], r.body).toContain(r.statusCode);
    expect(new Set(ok.map((r) => r.json().order_id)).size).toBe(1);
    const orders = await app.services.database.db
      .selectFrom('orders')
      .select('order_id')
      .where('project_id', '=', f.t.projectId)
      .where('user_id', '=', 'keyed')
      .execute();
    expect(orders).toHaveLength(1);
  });
});
