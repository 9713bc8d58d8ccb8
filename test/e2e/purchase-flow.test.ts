/**
 * The purchase flow end to end, as a game with an Xsolla SDK and its game server would live it, over real HTTP
 * (the app listens on 127.0.0.1; a webhook receiver runs on another port): browse the catalog → fill the cart →
 * create the order → open the token's pay station page → pay → poll `GET /order/{id}` until `done` → the
 * inventory shows the items → the receiver got a correctly signed `order_paid`. Then the failure paths of the
 * webhook (a receiver failing twice, a receiver answering 400), a refund, and a virtual-currency purchase.
 *
 * The studio's side (catalog, webhook settings) is set up through the admin API; everything else is what the
 * client and the merchant's server see.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { WebhookReceiver, waitFor, sleep, type ReceivedWebhook } from '../integration/webhooks-helpers.js';

const SECRET = 'e2e-project-secret-key';

let app: FastifyInstance;
let base: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  app = await testApp({
    webhookRetrySchedule: '2x100ms,2x100ms',
    webhookPollIntervalMs: 100,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => app?.close());

/** A parsed JSON answer, read loosely as a client does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An HTTP call as a client makes it: JSON in, status + parsed JSON (or text) out. */
async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; text: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: Json;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** The studio: a catalog (a sword, a consumable potion, a currency and a package of it) and the webhook. */
async function studio(answer: (w: Omit<ReceivedWebhook, 'answered'>, n: number) => number = () => 204) {
  const t = await createTenant(app);
  const must = async (path: string, body: object) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
  };
  await must('/admin/items/virtual_currency', {
    sku: 'crystals',
    name: { en: 'Crystals' },
    prices: [{ amount: 0.01, currency: 'USD', is_default: true }],
  });
  await must('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword' },
    virtual_item_type: 'non_consumable',
    custom_attributes: { damage: 12 },
    prices: [{ amount: 1.99, currency: 'USD', is_default: true }],
  });
  await must('/admin/items/virtual_items', {
    sku: 'potion',
    name: { en: 'Potion' },
    virtual_item_type: 'consumable',
    inventory_options: { consumable: { usages_count: 1 } },
    prices: [{ amount: 0.5, currency: 'USD', is_default: true }],
    vc_prices: [{ sku: 'crystals', amount: 30, is_default: true }],
  });
  await must('/admin/items/virtual_currency/package', {
    sku: 'crystals_100',
    name: { en: '100 Crystals' },
    description: { en: 'A pouch of crystals' },
    prices: [{ amount: 0.99, currency: 'USD', is_default: true }],
    content: [{ sku: 'crystals', quantity: 100 }],
  });
  const receiver = await WebhookReceiver.start((w, n) => answer(w, n));
  receivers.push(receiver);
  const put = await t.adminCall('PUT', '/admin/webhook', {
    url: receiver.url,
    secret: SECRET,
    is_enabled: true,
    version: 2,
  });
  expect(put.statusCode, put.body).toBe(204);
  return { t, receiver };
}

/** Polls the order as SDKs do until it is terminal (`done` or `canceled`). */
async function pollOrder(t: Tenant, orderId: number, token: string) {
  return waitFor(`order ${orderId} to be done or canceled`, async () => {
    const res = await call('GET', `/api/v2/project/${t.projectId}/order/${orderId}`, { token });
    expect(res.status, res.text).toBe(200);
    return ['done', 'canceled'].includes(res.body.status) ? res.body : undefined;
  });
}

/** Cart → order → pay station page → pay; returns the order id. */
async function buyThroughPayStation(
  t: Tenant,
  token: string,
  items: { sku: string; quantity: number }[],
): Promise<{ orderId: number; paymentToken: string }> {
  const p = `/api/v2/project/${t.projectId}`;
  const filled = await call('PUT', `${p}/cart/fill`, { token, body: { items } });
  expect(filled.status, filled.text).toBe(200);
  const created = await call('POST', `${p}/payment/cart`, { token, body: { sandbox: true } });
  expect(created.status, created.text).toBe(200);
  const { order_id: orderId, token: paymentToken } = created.body as { order_id: number; token: string };
  const page = await call('GET', `/paystation4/?token=${encodeURIComponent(paymentToken)}`);
  expect(page.status).toBe(200);
  const paid = await call('POST', `/api/paystation/${encodeURIComponent(paymentToken)}/pay`);
  expect(paid.status, paid.text).toBe(200);
  return { orderId, paymentToken };
}

async function deliveriesOf(t: Tenant, orderId: number) {
  const res = await call(
    'GET',
    `/api/itemshop/v1/project/${t.projectId}/admin/webhook/deliveries?order_id=${orderId}`,
    {
      headers: t.admin,
    },
  );
  expect(res.status, res.text).toBe(200);
  return res.body.items as {
    notification_type: string;
    status: string;
    attempts_count: number;
    attempts: { status_code: number | null; outcome: string }[];
  }[];
}

describe('purchase flow as an SDK and a game server live it', () => {
  it('browse → cart → order → pay station → pay → done → inventory → signed order_paid webhook', async () => {
    const { t, receiver } = await studio();
    const p = `/api/v2/project/${t.projectId}`;
    const user = await t.userToken('player-e2e');

    // 1. Browse the catalog (anonymous, as the store screen does before login).
    const goods = await call('GET', `${p}/items/virtual_items?limit=50&offset=0`);
    expect(goods.status, goods.text).toBe(200);
    const bySku = new Map(
      (goods.body.items as { sku: string; price: { amount: string; currency: string } }[]).map((i) => [
        i.sku,
        i,
      ]),
    );
    expect(bySku.get('sword')!.price).toMatchObject({ amount: '1.99', currency: 'USD' });
    expect(bySku.get('potion')!.price).toMatchObject({ amount: '0.50', currency: 'USD' });
    const packages = await call('GET', `${p}/items/virtual_currency/package`);
    expect(packages.status, packages.text).toBe(200);
    expect((packages.body.items as { sku: string }[]).map((i) => i.sku)).toContain('crystals_100');

    // 2. Fill the cart and read it back.
    const filled = await call('PUT', `${p}/cart/fill`, {
      token: user,
      body: {
        items: [
          { sku: 'sword', quantity: 1 },
          { sku: 'potion', quantity: 3 },
          { sku: 'crystals_100', quantity: 1 },
        ],
      },
    });
    expect(filled.status, filled.text).toBe(200);
    const cart = await call('GET', `${p}/cart`, { token: user });
    expect(cart.status, cart.text).toBe(200);
    expect(
      (cart.body.items as { sku: string; quantity: number }[]).map((i) => [i.sku, i.quantity]).sort(),
    ).toEqual([
      ['crystals_100', 1],
      ['potion', 3],
      ['sword', 1],
    ]);
    expect(cart.body.price).toMatchObject({ amount: '4.48', currency: 'USD' }); // 1.99 + 3 × 0.50 + 0.99

    // 3. Create the order: an id and a payment token.
    const created = await call('POST', `${p}/payment/cart`, { token: user, body: { sandbox: true } });
    expect(created.status, created.text).toBe(200);
    const { order_id: orderId, token: paymentToken } = created.body as { order_id: number; token: string };
    expect(Number.isInteger(orderId) && orderId > 0 && orderId <= 2 ** 31 - 1).toBe(true);
    expect(typeof paymentToken).toBe('string');
    const fresh = await call('GET', `${p}/order/${orderId}`, { token: user });
    expect(fresh.body.status).toBe('new');

    // 4. Open the pay station page of the token: a self-contained HTML page about this order.
    const page = await call('GET', `/paystation4/?token=${encodeURIComponent(paymentToken)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain(String(orderId));
    expect(page.text).toContain('Sword');
    expect(page.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);

    // 5. Pay (the page's Pay button calls this endpoint).
    const paid = await call('POST', `/api/paystation/${encodeURIComponent(paymentToken)}/pay`);
    expect(paid.status, paid.text).toBe(200);

    // 6. Poll the order until it is terminal.
    const order = await pollOrder(t, orderId, user);
    expect(order.status).toBe('done');
    expect(
      (order.content.items as { sku: string; quantity: number }[]).map((i) => [i.sku, i.quantity]).sort(),
    ).toEqual([
      ['crystals_100', 1],
      ['potion', 3],
      ['sword', 1],
    ]);

    // 7. The inventory shows the items; the package became a balance.
    const inventory = await call('GET', `${p}/user/inventory/items`, { token: user });
    expect(inventory.status, inventory.text).toBe(200);
    const held = new Map(
      (inventory.body.items as { sku: string; quantity: number }[]).map((i) => [i.sku, i.quantity]),
    );
    expect(held.get('sword')).toBe(1);
    expect(held.get('potion')).toBe(3);
    const balance = await call('GET', `${p}/user/virtual_currency_balance`, { token: user });
    expect(balance.status, balance.text).toBe(200);
    expect(balance.body.items).toEqual([expect.objectContaining({ sku: 'crystals', amount: 100 })]);

    // 8. The game server got one order_paid, signed over the exact bytes it received.
    const [w] = await waitFor('the order_paid webhook', () =>
      receiver.of(orderId).length ? receiver.of(orderId) : null,
    );
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers.authorization).toMatch(/^Signature [0-9a-f]{40}$/);
    expect(WebhookReceiver.signed(w, SECRET)).toBe(true);
    const body = JSON.parse(w.raw.toString('utf8'));
    expect(body.notification_type).toBe('order_paid');
    expect(body.order).toMatchObject({
      id: orderId,
      mode: 'sandbox',
      currency_type: 'real',
      currency: 'USD',
      amount: '4.4800',
      status: 'paid',
      platform: 'xsolla',
    });
    expect(typeof body.order.invoice_id).toBe('string');
    expect(body.user).toMatchObject({ external_id: 'player-e2e' });
    const rows = (
      body.items as { sku: string; quantity: number; amount: string; is_bundle_content: boolean }[]
    ).map((i) => [i.sku, i.quantity, i.amount, i.is_bundle_content]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['sword', 1, '1.9900', false],
        ['potion', 3, '1.5000', false],
        ['crystals_100', 1, '0.9900', false],
        ['crystals', 100, '0.0000', true],
      ]),
    );
    expect(rows).toHaveLength(4);
    const pkg = rows.findIndex((r) => r[0] === 'crystals_100');
    expect(rows[pkg + 1][0]).toBe('crystals'); // the content row follows its bundle
    expect(body.items.find((i: { sku: string }) => i.sku === 'sword').custom_attributes).toEqual({
      damage: 12,
    });

    const [d] = await deliveriesOf(t, orderId);
    expect(d).toMatchObject({ notification_type: 'order_paid', status: 'delivered', attempts_count: 1 });
    await sleep(300);
    expect(receiver.of(orderId)).toHaveLength(1);
  });

  it('a receiver that fails twice then succeeds gets the webhook acknowledged exactly once (3 attempts)', async () => {
    const answers = [500, 500, 204];
    const { t, receiver } = await studio((_w, n) => answers[n - 1] ?? 204);
    const user = await t.userToken('player-retry');
    const { orderId } = await buyThroughPayStation(t, user, [{ sku: 'sword', quantity: 1 }]);
    expect((await pollOrder(t, orderId, user)).status).toBe('done');
    const d = await waitFor('the delivery to settle', async () => {
      const [x] = await deliveriesOf(t, orderId);
      return x?.status === 'delivered' ? x : undefined;
    });
    expect(d.attempts_count).toBe(3);
    expect(d.attempts.map((a) => [a.status_code, a.outcome])).toEqual([
      [500, 'retry'],
      [500, 'retry'],
      [204, 'delivered'],
    ]);
    const got = receiver.of(orderId);
    expect(got.map((w) => w.answered)).toEqual([500, 500, 204]);
    expect(got.filter((w) => w.answered < 300)).toHaveLength(1);
    expect(got.every((w) => WebhookReceiver.signed(w, SECRET))).toBe(true);
    await sleep(400);
    expect(receiver.of(orderId)).toHaveLength(3);
  });

  it('a receiver answering 400 is not retried', async () => {
    const { t, receiver } = await studio(() => 400);
    const user = await t.userToken('player-400');
    const { orderId } = await buyThroughPayStation(t, user, [{ sku: 'potion', quantity: 2 }]);
    expect((await pollOrder(t, orderId, user)).status).toBe('done');
    const d = await waitFor('the delivery to settle', async () => {
      const [x] = await deliveriesOf(t, orderId);
      return x && x.status !== 'pending' ? x : undefined;
    });
    expect(d).toMatchObject({ status: 'failed', attempts_count: 1 });
    expect(d.attempts.map((a) => [a.status_code, a.outcome])).toEqual([[400, 'failed']]);
    await sleep(500); // longer than the whole retry schedule
    expect(receiver.of(orderId)).toHaveLength(1);
  });

  it('a refund cancels the order, takes the items back and sends a signed order_canceled', async () => {
    const { t, receiver } = await studio();
    const user = await t.userToken('player-refund');
    const p = `/api/v2/project/${t.projectId}`;
    const { orderId } = await buyThroughPayStation(t, user, [{ sku: 'sword', quantity: 1 }]);
    expect((await pollOrder(t, orderId, user)).status).toBe('done');
    await waitFor('order_paid', () => receiver.of(orderId).length === 1);

    const refund = await call(
      'POST',
      `/api/itemshop/v1/project/${t.projectId}/admin/order/${orderId}/refund`,
      {
        headers: t.admin,
      },
    );
    expect(refund.status, refund.text).toBe(200);
    expect((await pollOrder(t, orderId, user)).status).toBe('canceled');
    const inventory = await call('GET', `${p}/user/inventory/items`, { token: user });
    expect((inventory.body.items as { sku: string }[]).map((i) => i.sku)).not.toContain('sword');
    const canceled = await waitFor('order_canceled', () =>
      receiver.of(orderId).find((w) => w.body.notification_type === 'order_canceled'),
    );
    expect(canceled.body.order.status).toBe('canceled');
    expect(WebhookReceiver.signed(canceled, SECRET)).toBe(true);
  });

  it('a virtual-currency purchase is done at once and announced with currency_type virtual', async () => {
    const { t, receiver } = await studio();
    const user = await t.userToken('player-vc');
    const p = `/api/v2/project/${t.projectId}`;
    const { orderId: paidOrder } = await buyThroughPayStation(t, user, [
      { sku: 'crystals_100', quantity: 1 },
    ]);
    expect((await pollOrder(t, paidOrder, user)).status).toBe('done');

    const bought = await call('POST', `${p}/payment/item/potion/virtual/crystals`, { token: user, body: {} });
    expect(bought.status, bought.text).toBe(200);
    const orderId = bought.body.order_id as number;
    expect((await pollOrder(t, orderId, user)).status).toBe('done');
    const balance = await call('GET', `${p}/user/virtual_currency_balance`, { token: user });
    expect(balance.body.items).toEqual([expect.objectContaining({ sku: 'crystals', amount: 70 })]);
    const [w] = await waitFor('order_paid (virtual)', () =>
      receiver.of(orderId).length ? receiver.of(orderId) : null,
    );
    expect(WebhookReceiver.signed(w, SECRET)).toBe(true);
    expect(w.body.order).toMatchObject({ currency_type: 'virtual', currency: 'crystals', amount: '30.0000' });
  });
});
