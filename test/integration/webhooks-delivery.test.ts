/**
 * Order webhooks from the outbox to a real receiver (DESIGN §5; spec/NOTES.md "Webhooks the real service sends"):
 * written in the transaction of the status change, POSTed as signed JSON by the worker, retried on the real
 * service's rules with a short schedule (2 × 100 ms, 2 × 150 ms), and every attempt visible to the admin.
 * Orders are written straight into the order tables, as the orders area would leave them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { webhooksRepository } from '../../src/modules/webhooks/repository.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';
import {
  commitOrderEvent,
  insertOrder,
  outboxOf,
  sleep,
  waitFor,
  WebhookReceiver,
  type Answer,
  type ReceivedWebhook,
} from './webhooks-helpers.js';

const SECRET = 'test-webhook-secret';
/** Attempts the schedule allows: the first one + 4 retries. */
const MAX_ATTEMPTS = 5;

let app: FastifyInstance;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  // The default timeout (10 s): a loaded machine must not turn a slow answer into an extra attempt.
  app = await testApp({ webhookRetrySchedule: '2x100ms,2x150ms', webhookPollIntervalMs: 100 });
  await app.ready();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => app.close());

/** A tenant whose webhook points at a fresh receiver answering `answer`. */
async function tenantWithReceiver(
  answer?: (w: Omit<ReceivedWebhook, 'answered'>, n: number) => Answer,
  settings: { version?: 1 | 2; is_enabled?: boolean } = {},
): Promise<{ t: Tenant; receiver: WebhookReceiver }> {
  const t = await createTenant(app);
  const receiver = await WebhookReceiver.start(answer);
  receivers.push(receiver);
  const put = await t.adminCall('PUT', '/admin/webhook', {
    url: receiver.url,
    secret: SECRET,
    is_enabled: settings.is_enabled ?? true,
    ...(settings.version ? { version: settings.version } : {}),
  });
  expect(put.statusCode, put.body).toBe(204);
  return { t, receiver };
}

interface Delivery {
  event_id: number;
  order_id: number;
  notification_type: string;
  status: string;
  attempts_count: number;
  delivered_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  attempts: {
    attempt: number;
    status_code: number | null;
    error: string | null;
    outcome: string;
    response: string | null;
    url: string;
  }[];
}

async function deliveries(t: Tenant, query = ''): Promise<{ has_more: boolean; items: Delivery[] }> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/itemshop/v1/project/${t.projectId}/admin/webhook/deliveries${query}`,
    headers: t.admin,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Waits until the order's only event is no longer pending; returns its delivery record. */
async function settled(t: Tenant, orderId: number): Promise<Delivery> {
  return waitFor(`the webhook of order ${orderId} to settle`, async () => {
    const { items } = await deliveries(t, `?order_id=${orderId}`);
    return items.length === 1 && items[0].status !== 'pending' ? items[0] : undefined;
  });
}

describe('order_paid delivery', () => {
  it('POSTs the signed order_paid body once the order is paid, and the admin sees the attempt', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 204);
    const item = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'sword',
      name: { en: 'Sword' },
      custom_attributes: { rarity: 'epic', level: 3 },
      prices: [{ amount: 1.99, currency: 'USD', is_default: true }],
    });
    expect(item.statusCode, item.body).toBe(201);
    const itemId = (
      await app.services.database.db
        .selectFrom('items')
        .select('item_id')
        .where('project_id', '=', t.projectId)
        .where('sku', '=', 'sword')
        .executeTakeFirstOrThrow()
    ).item_id;
    const orderId = await insertOrder(app, t.projectId, {
      userId: 'player-42',
      email: 'player42@example.com',
      country: 'DE',
      invoiceId: '2100000042',
      customParameters: { campaign: 'spring' },
      lines: [
        { item_id: itemId, sku: 'sword', quantity: 2, amount: '1.99' },
        { sku: 'shield', amount: '3.5' },
      ],
    });
    expect(await commitOrderEvent(app, 'order_paid', orderId)).toBe(true);

    const [w] = await waitFor('the webhook', () =>
      receiver.of(orderId).length ? receiver.of(orderId) : null,
    );
    expect(w.method).toBe('POST');
    expect(w.headers['content-type']).toBe('application/json');
    expect(WebhookReceiver.signed(w, SECRET)).toBe(true);
    expect(WebhookReceiver.signed(w, 'another-secret')).toBe(false);
    expect(JSON.parse(w.raw.toString('utf8'))).toEqual({
      items: [
        {
          sku: 'sword',
          type: 'virtual_good',
          is_pre_order: false,
          quantity: 2,
          amount: '3.9800',
          promotions: [],
          custom_attributes: { rarity: 'epic', level: 3 },
        },
        {
          sku: 'shield',
          type: 'virtual_good',
          is_pre_order: false,
          quantity: 1,
          amount: '3.5000',
          promotions: [],
        },
      ],
      notification_type: 'order_paid',
      order: {
        id: orderId,
        mode: 'sandbox',
        currency_type: 'real',
        currency: 'USD',
        amount: '7.4800',
        status: 'paid',
        platform: 'xsolla',
        comment: null,
        invoice_id: '2100000042',
        promotions: [],
      },
      user: { external_id: 'player-42', email: 'player42@example.com', country: 'DE' },
      custom_parameters: { campaign: 'spring' },
    });

    const d = await settled(t, orderId);
    expect(d).toMatchObject({ notification_type: 'order_paid', status: 'delivered', attempts_count: 1 });
    expect(d.delivered_at).not.toBeNull();
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts[0]).toMatchObject({ attempt: 1, status_code: 204, error: null, outcome: 'delivered' });
    expect(d.attempts[0].url).toBe(receiver.url);
    await sleep(300);
    expect(receiver.of(orderId)).toHaveLength(1);
  });

  it('sends order_canceled when a refunded order is canceled', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 200);
    const orderId = await insertOrder(app, t.projectId, { status: 'done', lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_canceled', orderId);
    const [w] = await waitFor('order_canceled', () =>
      receiver.of(orderId).length ? receiver.of(orderId) : null,
    );
    expect(w.body.notification_type).toBe('order_canceled');
    expect(w.body.order.status).toBe('canceled');
    expect(WebhookReceiver.signed(w, SECRET)).toBe(true);
    expect((await settled(t, orderId)).status).toBe('delivered');
  });

  it('version 2 adds the item flags and lists the content of a bundle after it', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 204, { version: 2 });
    const must = async (path: string, body: object) => {
      const res = await t.adminCall('POST', path, body);
      expect(res.statusCode, res.body).toBe(201);
    };
    await must('/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } });
    await must('/admin/items/virtual_items', { sku: 'axe', name: { en: 'Axe' } });
    await must('/admin/items/bundle', {
      sku: 'starter',
      name: { en: 'Starter' },
      description: { en: 'Starter pack' },
      content: [
        { sku: 'axe', quantity: 1 },
        { sku: 'gold', quantity: 50 },
      ],
      prices: [{ amount: 4.99, currency: 'USD', is_default: true }],
    });
    const ids = Object.fromEntries(
      (
        await app.services.database.db
          .selectFrom('items')
          .select(['sku', 'item_id'])
          .where('project_id', '=', t.projectId)
          .execute()
      ).map((r) => [r.sku, r.item_id]),
    );
    const orderId = await insertOrder(app, t.projectId, {
      lines: [{ item_id: ids.starter, sku: 'starter', type: 'bundle', quantity: 2, amount: '4.99' }],
    });
    await commitOrderEvent(app, 'order_paid', orderId);
    const [w] = await waitFor('the v2 webhook', () =>
      receiver.of(orderId).length ? receiver.of(orderId) : null,
    );
    expect(w.body.items).toEqual([
      {
        sku: 'starter',
        type: 'bundle',
        is_pre_order: false,
        quantity: 2,
        amount: '9.9800',
        promotions: [],
        is_free: false,
        is_bonus: false,
        is_bundle_content: false,
      },
      {
        sku: 'axe',
        type: 'virtual_good',
        is_pre_order: false,
        quantity: 2,
        amount: '0.0000',
        promotions: [],
        is_free: false,
        is_bonus: false,
        is_bundle_content: true,
      },
      {
        sku: 'gold',
        type: 'virtual_currency',
        is_pre_order: false,
        quantity: 100,
        amount: '0.0000',
        promotions: [],
        is_free: false,
        is_bonus: false,
        is_bundle_content: true,
      },
    ]);
  });
});

describe('what is written to the outbox', () => {
  it('nothing to send when the project has no webhook, or has it disabled (the event is kept unsent for the Event API)', async () => {
    const bare = await createTenant(app);
    const o1 = await insertOrder(app, bare.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', o1);
    expect((await outboxOf(app, o1)).map((r) => r.status)).toEqual(['unsent']);

    const { t, receiver } = await tenantWithReceiver(() => 204, { is_enabled: false });
    const o2 = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', o2);
    expect((await outboxOf(app, o2)).map((r) => r.status)).toEqual(['unsent']);
    await sleep(300);
    expect(receiver.received).toHaveLength(0);
    expect((await outboxOf(app, o2)).map((r) => [r.status, r.attempts])).toEqual([['unsent', 0]]);
  });

  it('nothing when the transaction of the status change rolls back', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 204);
    const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    expect(await commitOrderEvent(app, 'order_paid', orderId, { fail: true })).toBe(false);
    expect(await outboxOf(app, orderId)).toEqual([]);
    const order = await app.services.database.db
      .selectFrom('orders')
      .select('status')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('new');
    await sleep(300);
    expect(receiver.received).toHaveLength(0);
  });

  it('an event whose project disabled webhooks before it was sent is discarded unsent', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 204);
    const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    // The event is written while webhooks are on; the same transaction turns them off before it commits.
    await app.services.database.db.transaction().execute(async (trx) => {
      await app.services.webhooks.enqueueOrderEvent({ trx, afterCommit: () => {} }, 'order_paid', orderId);
      await trx
        .updateTable('webhook_settings')
        .set({ is_enabled: false })
        .where('project_id', '=', t.projectId)
        .execute();
    });
    app.services.webhooks.worker.wake();
    const d = await settled(t, orderId);
    expect(d).toMatchObject({ status: 'discarded', attempts_count: 0, attempts: [] });
    expect(d.last_error).toMatch(/disabled/);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('retries (real rules: 200/201/204 delivered; 400/401/402/403/404/409/415/422 final; else retried)', () => {
  it('a receiver that fails twice then succeeds gets the webhook acknowledged exactly once, after 3 attempts', async () => {
    const answers = [500, 503, 200];
    const { t, receiver } = await tenantWithReceiver((_w, n) => answers[n - 1] ?? 200);
    const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', orderId);
    const d = await settled(t, orderId);
    expect(d.status).toBe('delivered');
    expect(d.attempts_count).toBe(3);
    expect(d.attempts.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 503, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(d.attempts[0].response).toBe('{"status":500}');
    const got = receiver.of(orderId);
    expect(got.map((w) => w.answered)).toEqual([500, 503, 200]);
    expect(got.filter((w) => w.answered < 300)).toHaveLength(1);
    // every attempt carries the same bytes and a valid signature
    expect(new Set(got.map((w) => w.raw.toString('base64'))).size).toBe(1);
    expect(got.every((w) => WebhookReceiver.signed(w, SECRET))).toBe(true);
    await sleep(500);
    expect(receiver.of(orderId)).toHaveLength(3);
  });

  it('never retries 400, 401, 402, 403, 404, 409, 415 or 422', async () => {
    const codes = [400, 401, 402, 403, 404, 409, 415, 422];
    const statusOf = new Map<number, number>();
    const { t, receiver } = await tenantWithReceiver((w) => statusOf.get(w.body.order.id) ?? 500);
    for (const code of codes) {
      const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: `item_${code}` }] });
      statusOf.set(orderId, code);
      await commitOrderEvent(app, 'order_paid', orderId);
    }
    for (const [orderId, code] of statusOf) {
      const d = await settled(t, orderId);
      expect(d, `answer ${code}`).toMatchObject({ status: 'failed', attempts_count: 1 });
      expect(d.attempts.map((a) => [a.status_code, a.outcome])).toEqual([[code, 'failed']]);
    }
    await sleep(500); // longer than the whole retry schedule
    for (const orderId of statusOf.keys()) expect(receiver.of(orderId)).toHaveLength(1);
  });

  it('retries other answers (202, 302, 500) and accepts 201', async () => {
    const answers = [202, 302, 500, 201];
    const { t, receiver } = await tenantWithReceiver((_w, n) => answers[n - 1] ?? 200);
    const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', orderId);
    const d = await settled(t, orderId);
    expect(d.status).toBe('delivered');
    expect(d.attempts.map((a) => [a.status_code, a.outcome])).toEqual([
      [202, 'retry'],
      [302, 'retry'],
      [500, 'retry'],
      [201, 'delivered'],
    ]);
    expect(receiver.of(orderId)).toHaveLength(4);
  });

  it('gives up once the schedule is used up', async () => {
    const { t, receiver } = await tenantWithReceiver(() => 500);
    const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', orderId);
    const d = await settled(t, orderId);
    expect(d.status).toBe('failed');
    expect(d.attempts_count).toBe(MAX_ATTEMPTS);
    expect(d.attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'failed']);
    await sleep(500);
    expect(receiver.of(orderId)).toHaveLength(MAX_ATTEMPTS);
  });

  it('retries a receiver that does not answer in time', async () => {
    // A process with a short timeout writes (and, woken by its commit, usually sends) the event. The first
    // request is never answered, whichever worker sends it: its timeout ends the attempt.
    const quick = await testApp({
      webhookRetrySchedule: '2x100ms,2x150ms',
      webhookPollIntervalMs: 100,
      webhookTimeoutMs: 1500,
    });
    try {
      await quick.ready();
      const { t, receiver } = await tenantWithReceiver((_w, n) =>
        n === 1 ? { status: 204, delayMs: 600_000 } : 204,
      );
      const slow = await insertOrder(quick, t.projectId, { lines: [{ sku: 'sword' }] });
      await commitOrderEvent(quick, 'order_paid', slow);
      const d = await settled(t, slow);
      expect(d.status).toBe('delivered');
      expect(d.attempts[0]).toMatchObject({ status_code: null, outcome: 'retry' });
      expect(d.attempts[0].error).toMatch(/^no answer within \d+ ms$/);
      expect(d.attempts.at(-1)).toMatchObject({ status_code: 204, outcome: 'delivered' });
      // (on a loaded machine an attempt may time out before its request was even read)
      expect(receiver.of(slow).length).toBeGreaterThanOrEqual(2);
      expect(receiver.of(slow).length).toBeLessThanOrEqual(d.attempts.length);
    } finally {
      await quick.close();
    }
  });

  it('retries a receiver that cannot be reached until the schedule is used up', async () => {
    // a port nobody listens on: connection refused
    const closed = await WebhookReceiver.start();
    const deadUrl = closed.url;
    await closed.close();
    const t2 = await createTenant(app);
    await t2.adminCall('PUT', '/admin/webhook', { url: deadUrl, secret: SECRET, is_enabled: true });
    const lost = await insertOrder(app, t2.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(app, 'order_paid', lost);
    const e = await settled(t2, lost);
    expect(e.status).toBe('failed');
    expect(e.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(e.attempts.every((a) => a.status_code === null && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
  });
});

describe('delivery log (admin-get-webhook-deliveries)', () => {
  it('lists the project events newest first, pages, and filters by order', async () => {
    const { t } = await tenantWithReceiver(() => 204);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const orderId = await insertOrder(app, t.projectId, { lines: [{ sku: `s${i}` }] });
      await commitOrderEvent(app, 'order_paid', orderId);
      ids.push(orderId);
    }
    for (const id of ids) await settled(t, id);
    const all = await deliveries(t);
    expect(all.has_more).toBe(false);
    expect(all.items.map((d) => d.order_id)).toEqual([...ids].reverse());
    const first = await deliveries(t, '?limit=2');
    expect(first.has_more).toBe(true);
    expect(first.items.map((d) => d.order_id)).toEqual([ids[2], ids[1]]);
    const second = await deliveries(t, '?limit=2&offset=2');
    expect(second).toMatchObject({ has_more: false, items: [{ order_id: ids[0] }] });
    expect((await deliveries(t, `?order_id=${ids[1]}`)).items.map((d) => d.order_id)).toEqual([ids[1]]);
    // another project sees none of them
    const other = await createTenant(app);
    expect((await deliveries(other)).items).toEqual([]);
    expect((await deliveries(other, `?order_id=${ids[1]}`)).items).toEqual([]);
  });

  it('rejects a malformed query with 422', async () => {
    const t = await createTenant(app);
    for (const q of ['?order_id=abc', '?limit=0', '?offset=-1']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/itemshop/v1/project/${t.projectId}/admin/webhook/deliveries${q}`,
        headers: t.admin,
      });
      expect(res.statusCode, q).toBe(422);
    }
  });
});

describe('the worker idles when the outbox is empty', () => {
  it('msUntilNextDue is null, not 0, when nothing is pending (no 20 ms busy poll)', async () => {
    const { db } = await testDatabase();
    const rollback = new Error('rollback');
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom('webhook_outbox').where('status', '=', 'pending').execute();
        expect(await webhooksRepository.msUntilNextDue(trx)).toBeNull();
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });
});
