/**
 * `POST /v2/project/{project_id}/payment` — the client-side payment token of the Android and Unity SDKs (issue 11
 * item 7; docs/decisions/0024-client-payment-token.md): a user JWT, a body of `purchase.checkout{amount, currency}`,
 * `purchase.items[]` or `purchase.description`, `settings`, `custom_parameters`, answered `{token, order_id}`; the
 * order's lines are what the body describes, it is paid on the pay station like any order, delivers nothing from
 * the catalog and announces itself in `order_paid`.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp({ webhookWorker: false });
  f = await shopFixture(app);
  const hook = await f.t.adminCall('PUT', '/admin/webhook', {
    url: 'http://127.0.0.1:9/webhook',
    secret: 'payment-secret',
    is_enabled: true,
  });
  expect(hook.statusCode, hook.body).toBeLessThan(300);
});
afterAll(async () => app.close());

/** What the Unity SDK's CreatePaymentToken(amount, currency, items…) sends, in our words. */
const unityItemsBody = {
  purchase: {
    checkout: { amount: 12.49, currency: 'USD' },
    items: [
      {
        name: 'Starter pack',
        image_url: 'https://cdn.example.com/starter.png',
        description: 'Everything to begin',
        price: { amount: '9.99', amount_before_discount: '14.99' },
        quantity: 1,
      },
      { name: 'Sticker', price: { amount: '1.25' }, quantity: 2 },
      { name: 'Bonus hat', price: { amount: '0' }, quantity: 1, is_bonus: true },
    ],
  },
  settings: {
    return_url: 'app://xpayment.com.example.game',
    ui: { theme: '63295aab2e47fab76f7708e3' },
    redirect_policy: {
      return_url: 'app://xpayment.com.example.game',
      redirect_conditions: 'successful',
      delay: 0,
    },
    currency: 'USD',
    sandbox: true,
    external_id: 'unity-tx-3',
  },
  custom_parameters: { level: 7 },
};

/** What the Android SDK's createPaymentToken(purchase with a description) sends (gson, camelCase uiSettings). */
const androidDescriptionBody = {
  settings: { uiSettings: { theme: '63295aab2e47fab76f7708e3' }, sandbox: true, payment_method: '1380' },
  purchase: { checkout: { amount: 4.99, currency: 'EUR' }, description: { value: 'Season pass' } },
};

const adminOrder = async (orderId: number) =>
  (await f.t.adminCall('GET', `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${orderId}`)).json();

describe('POST /payment', () => {
  it('Unity items: an order of the described lines for the checkout total, answered {token, order_id}', async () => {
    const res = await f.user('unity-player', 'POST', '/payment', unityItemsBody);
    expect(res.statusCode, res.body).toBe(200);
    const { token, order_id } = res.json();
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Number.isInteger(order_id)).toBe(true);
    const order = (await f.user('unity-player', 'GET', `/order/${order_id}`)).json();
    expect(order.status).toBe('new');
    expect(order.content.price).toEqual({
      amount: '12.49',
      amount_without_discount: '17.49',
      currency: 'USD',
    });
    expect(order.content.items).toEqual([
      {
        sku: 'Starter pack',
        quantity: 1,
        is_free: false,
        price: { amount: '9.99', amount_without_discount: '14.99', currency: 'USD' },
      },
      {
        sku: 'Sticker',
        quantity: 2,
        is_free: false,
        price: { amount: '1.25', amount_without_discount: '1.25', currency: 'USD' },
      },
      {
        sku: 'Bonus hat',
        quantity: 1,
        is_free: true,
        price: { amount: '0.00', amount_without_discount: '0.00', currency: 'USD' },
      },
    ]);
    const admin = await adminOrder(order_id);
    expect(admin.mode).toBe('sandbox');
    expect(admin.external_id).toBe('unity-tx-3');
    expect(admin.custom_parameters).toEqual({ level: 7 });
  });

  it('pays on the pay station: done, nothing delivered from the catalog, order_paid sent', async () => {
    const { order_id, token } = (await f.user('unity-player', 'POST', '/payment', unityItemsBody)).json();
    const paid = await f.anon('POST', `/paystation/${token}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().items.map((i: { name: string }) => i.name)).toEqual([
      'Starter pack',
      'Sticker',
      'Bonus hat',
    ]);
    expect(new URL(paid.json().return_url).searchParams.get('status')).toBe('done');
    expect((await f.user('unity-player', 'GET', `/order/${order_id}`)).json().status).toBe('done');
    const inventory = (await f.user('unity-player', 'GET', '/user/inventory/items')).json();
    expect(inventory.items).toEqual([]);
    const [event] = await app.services.database.db
      .selectFrom('webhook_outbox')
      .select('body')
      .where('order_id', '=', order_id)
      .execute();
    const body = JSON.parse(String(event.body));
    expect(body.order).toMatchObject({ id: order_id, amount: '12.4900', currency: 'USD', mode: 'sandbox' });
    expect(body.items.map((i: { sku: string }) => i.sku)).toEqual(['Starter pack', 'Sticker', 'Bonus hat']);
    expect(body.billing.transaction.external_id).toBe('unity-tx-3');
    expect(body.custom_parameters).toEqual({ level: 7 });
  });

  it('Android description: one line named by it, for the checkout amount; unknown settings kept', async () => {
    const res = await f.user('droid', 'POST', '/payment', androidDescriptionBody);
    expect(res.statusCode, res.body).toBe(200);
    const order = (await f.user('droid', 'GET', `/order/${res.json().order_id}`)).json();
    expect(order.content.price).toEqual({ amount: '4.99', amount_without_discount: '4.99', currency: 'EUR' });
    expect(order.content.items).toEqual([
      {
        sku: 'Season pass',
        quantity: 1,
        is_free: false,
        price: { amount: '4.99', amount_without_discount: '4.99', currency: 'EUR' },
      },
    ]);
    expect((await adminOrder(res.json().order_id)).settings.uiSettings).toEqual({
      theme: '63295aab2e47fab76f7708e3',
    });
  });

  it('checkout alone: one `payment` line', async () => {
    const res = await f.user('droid', 'POST', '/payment', {
      purchase: { checkout: { amount: 1, currency: 'USD' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const order = (await f.user('droid', 'GET', `/order/${res.json().order_id}`)).json();
    expect(order.content.items[0]).toMatchObject({ sku: 'payment', quantity: 1 });
  });

  it('refuses with 422/1102 what cannot be an order', async () => {
    const cases: [unknown, string][] = [
      [{ purchase: { checkout: { amount: 5 } } }, 'purchase.checkout.currency'],
      [{ purchase: { checkout: { amount: 0, currency: 'USD' } } }, 'purchase.checkout.amount'],
      [{ purchase: { checkout: { amount: 'lots', currency: 'USD' } } }, 'purchase.checkout.amount'],
      [
        { purchase: { items: [{ name: 'x', price: { amount: '-1' } }], checkout: { currency: 'USD' } } },
        'purchase.items[0].price.amount',
      ],
      [
        { purchase: { checkout: { amount: 5, currency: 'USD' } }, settings: { return_url: 'nope' } },
        'settings.return_url',
      ],
    ];
    for (const [body, property] of cases) {
      const res = await f.user('bad', 'POST', '/payment', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errorCode).toBe(1102);
      expect(res.json().errorMessageExtended[0].property, JSON.stringify(body)).toBe(property);
    }
    const noPurchase = await f.user('bad', 'POST', '/payment', { settings: {} });
    expect(noPurchase.statusCode).toBe(422);
  });

  it('needs a user JWT (401 with the envelope)', async () => {
    const res = await f.anon('POST', `/v2/project/${f.t.projectId}/payment`, unityItemsBody);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
  });

  it('is an extension in the OpenAPI document, named create-payment-token', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v2/project/{project_id}/payment'].post;
    expect(op.operationId).toBe('create-payment-token');
    expect(op['x-itemshop-extension']).toBe(true);
  });
});
