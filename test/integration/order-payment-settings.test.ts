/**
 * Payment `settings` as the official SDKs send them (issue 11 items 1–2): keys the spec does not list
 * (`settings.sdk` of iOS/Android/Unity/Unreal, `settings.external_id` of Cocos, unknown keys in `settings.ui`) are
 * accepted on every order-creating call and kept on the order; `settings.external_id` shows in the admin order
 * view and in `order_paid` as `billing.transaction.external_id`; `settings.return_url` takes any absolute URI (app
 * schemes included) and the pay station returns the buyer to it with `status`, `user_id`, `invoice_id` and
 * `foreigninvoice` (the real Pay Station's query), following `redirect_policy`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp({ webhookWorker: false }); // the outbox is inspected, not delivered
  f = await shopFixture(app);
  const hook = await f.t.adminCall('PUT', '/admin/webhook', {
    url: 'http://127.0.0.1:9/webhook',
    secret: 'settings-secret',
    is_enabled: true,
  });
  expect(hook.statusCode, hook.body).toBeLessThan(300);
});
afterAll(async () => app.close());

/** The settings the iOS SDK always sends (StorePaymentProjectSettings), in our words. */
const IOS_SETTINGS = {
  ui: { theme: '63295aab2e47fab76f7708e3', size: 'medium', mobile: { header: { close_button: true } } },
  return_url: 'xsollasdk123456://xsollaconfirm/payment',
  redirect_policy: {
    redirect_conditions: 'any',
    delay: 0,
    status_for_manual_redirection: 'none',
    redirect_button_caption: 'Back',
  },
  external_id: 'ios-tx-1',
  sdk: { platform: 'ios', browser_type: 'wk_web_view' },
};

/** What the Android SDK's PaymentProjectSettings serializes by default. */
const ANDROID_SETTINGS = {
  ui: { theme: '63295aab2e47fab76f7708e3', gp_quick_payment_button: true, future_option: { deep: [1, 2] } },
  sdk: { platform: 'android' },
};

const adminOrder = async (orderId: number) => {
  const res = await f.t.adminCall('GET', `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${orderId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const fill = async (userId: string, items: { sku: string; quantity: number }[], cartId?: string) => {
  const res = await f.user(userId, 'PUT', cartId ? `/cart/${cartId}/fill` : '/cart/fill', { items });
  expect(res.statusCode, res.body).toBe(200);
};

const outboxBody = async (orderId: number, type: string) => {
  const rows = await app.services.database.db
    .selectFrom('webhook_outbox')
    .select(['notification_type', 'body'])
    .where('order_id', '=', orderId)
    .execute();
  const row = rows.find((r) => r.notification_type === type);
  return row ? JSON.parse(String(row.body)) : undefined;
};

describe('settings with keys the spec does not list', () => {
  it('create-order-with-item accepts the iOS settings and keeps them on the order as sent', async () => {
    const res = await f.user('ios-user', 'POST', '/payment/item/sword', {
      quantity: 1,
      sandbox: true,
      settings: IOS_SETTINGS,
    });
    expect(res.statusCode, res.body).toBe(200);
    const order = await adminOrder(res.json().order_id);
    expect(order.settings).toEqual(IOS_SETTINGS);
    expect(order.external_id).toBe('ios-tx-1');
  });

  it('create-order (cart) and create-order-by-cart-id accept the Android settings', async () => {
    await fill('droid', [{ sku: 'sword', quantity: 1 }]);
    const current = await f.user('droid', 'POST', '/payment/cart', {
      sandbox: true,
      country: 'US', // Android sends `country` at the top level
      settings: ANDROID_SETTINGS,
    });
    expect(current.statusCode, current.body).toBe(200);
    expect((await adminOrder(current.json().order_id)).settings).toEqual(ANDROID_SETTINGS);

    await fill('droid', [{ sku: 'arrows', quantity: 2 }], 'droid-cart-2');
    const byId = await f.user('droid', 'POST', '/payment/cart/droid-cart-2', {
      settings: { ...ANDROID_SETTINGS, payment_method: '1380' }, // a string, as the Android /payment body has it
    });
    expect(byId.statusCode, byId.body).toBe(200);
    expect((await adminOrder(byId.json().order_id)).settings.payment_method).toBe('1380');
  });

  it('the free variants accept them too (the Cocos SDK sends its payment settings with free items)', async () => {
    const settings = { ui: { theme: '63295aab2e47fab76f7708e3' }, external_id: 'cocos-free-1', sdk: {} };
    const item = await f.user('cocos', 'POST', '/free/item/potion', { quantity: 1, settings });
    expect(item.statusCode, item.body).toBe(200);
    const order = await adminOrder(item.json().order_id);
    expect(order.status).toBe('done');
    expect(order.external_id).toBe('cocos-free-1');

    await fill('cocos', [{ sku: 'potion', quantity: 1 }]);
    const cart = await f.user('cocos', 'POST', '/free/cart', { settings });
    expect(cart.statusCode, cart.body).toBe(200);
    await fill('cocos', [{ sku: 'potion', quantity: 2 }], 'cocos-free-cart');
    const byId = await f.user('cocos', 'POST', '/free/cart/cocos-free-cart', { settings });
    expect(byId.statusCode, byId.body).toBe(200);
  });

  it('admin-create-payment-token (v3) accepts settings.sdk and unknown keys', async () => {
    const res = await f.t.adminCall('POST', `/api/v3/project/${f.t.projectId}/admin/payment/token`, {
      user: { id: { value: 'srv-1' }, country: { value: 'US' } },
      purchase: { items: [{ sku: 'sword', quantity: 1 }] },
      settings: { currency: 'USD', sdk: { platform: 'ios' }, external_id: 'srv-tx-9', anything_new: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = await adminOrder(res.json().order_id);
    expect(order.external_id).toBe('srv-tx-9');
    expect(order.settings.anything_new).toBe(true);
  });

  it('null in an optional settings key means "not set"', async () => {
    const res = await f.user('nulls', 'POST', '/payment/item/sword', {
      settings: {
        ui: null,
        return_url: null,
        external_id: null,
        payment_method: null,
        redirect_policy: null,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await adminOrder(res.json().order_id)).external_id).toBeNull();
  });
});

describe('settings.external_id: the merchant transaction id', () => {
  it('is put in order_paid as billing.transaction.external_id, with the invoice and the total', async () => {
    const { order_id, token } = (
      await f.user('tx-user', 'POST', '/payment/item/sword', {
        quantity: 2,
        sandbox: true,
        settings: { external_id: 'merchant-tx-42' },
      })
    ).json();
    const paid = await f.anon('POST', `/paystation/${token}/pay`);
    expect(paid.statusCode, paid.body).toBe(200);
    const hook = await outboxBody(order_id, 'order_paid');
    expect(hook.order).toMatchObject({ id: order_id, status: 'paid', amount: '19.9800' });
    const invoice = (await adminOrder(order_id)).invoice_id;
    expect(hook.billing).toEqual({
      notification_type: 'payment',
      settings: { project_id: f.t.projectId, merchant_id: f.t.merchantId },
      purchase: { total: { currency: 'USD', amount: 19.98 } },
      transaction: {
        id: Number(invoice),
        external_id: 'merchant-tx-42',
        dry_run: 1,
        payment_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/),
      },
    });
  });

  it('an order without it has no billing block (the captured shape)', async () => {
    const { order_id, token } = (await f.user('tx-user', 'POST', '/payment/item/sword', {})).json();
    await f.anon('POST', `/paystation/${token}/pay`);
    const hook = await outboxBody(order_id, 'order_paid');
    expect(hook.notification_type).toBe('order_paid');
    expect(hook).not.toHaveProperty('billing');
  });
});

describe('settings.return_url: any absolute URI', () => {
  for (const url of [
    'app://xpayment.com.example.game',
    'xsollasdk123456://xsollaconfirm/payment',
    'https://game.example.com/back?from=shop',
    'mygame:return',
  ]) {
    it(`accepts ${url}`, async () => {
      const res = await f.user('uri', 'POST', '/payment/item/sword', { settings: { return_url: url } });
      expect(res.statusCode, res.body).toBe(200);
    });
  }

  for (const url of ['not a uri', '/relative/path', 'javascript:alert(1)', 'data:text/html,x']) {
    it(`refuses ${JSON.stringify(url)} with 422/1102 on settings.return_url`, async () => {
      const res = await f.user('uri', 'POST', '/payment/item/sword', { settings: { return_url: url } });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
      expect(res.json().errorMessageExtended[0].property).toBe('settings.return_url');
    });
  }
});

describe('the pay station returns the buyer with the real query', () => {
  const order = async (settings: Record<string, unknown>) =>
    (await f.user('ret', 'POST', '/payment/item/sword', { settings })).json() as {
      order_id: number;
      token: string;
    };

  it('after Pay: status=done, user_id, invoice_id, foreigninvoice — on an app scheme', async () => {
    const { order_id, token } = await order({
      return_url: 'app://xpayment.com.example.game',
      external_id: 'ext-7',
    });
    const res = await f.anon('POST', `/paystation/${token}/pay`);
    expect(res.statusCode, res.body).toBe(200);
    const back = new URL(res.json().return_url);
    expect(back.protocol).toBe('app:');
    expect(back.host).toBe('xpayment.com.example.game');
    expect(Object.fromEntries(back.searchParams)).toEqual({
      status: 'done',
      user_id: 'ret',
      invoice_id: (await adminOrder(order_id)).invoice_id,
      foreigninvoice: 'ext-7',
    });
    expect(res.json().return_after_seconds).toBe(0); // no redirect policy: the sandbox returns at once
  });

  it('after Fail: status=troubled (the order still awaits payment); after Cancel: status=canceled', async () => {
    const a = await order({ return_url: 'xsollasdk123456://xsollaconfirm/payment' });
    const failed = (await f.anon('POST', `/paystation/${a.token}/fail`)).json();
    expect(failed.status).toBe('new');
    const url = new URL(failed.return_url);
    expect(url.href.startsWith('xsollasdk123456://xsollaconfirm/payment?')).toBe(true);
    expect(url.searchParams.get('status')).toBe('troubled');
    expect(url.searchParams.has('invoice_id')).toBe(false);

    const b = await order({ return_url: 'https://game.example.com/back?from=shop' });
    const canceled = (await f.anon('POST', `/paystation/${b.token}/cancel`)).json();
    expect(canceled.return_url).toBe('https://game.example.com/back?from=shop&status=canceled&user_id=ret');
    expect(canceled.return_after_seconds).toBe(0);
  });

  it('follows redirect_policy: `successful` returns by itself only after a payment, with its delay', async () => {
    const policy = { redirect_conditions: 'successful', delay: 3 };
    const a = await order({ return_url: 'app://xpayment.x', redirect_policy: policy });
    const canceled = (await f.anon('POST', `/paystation/${a.token}/cancel`)).json();
    expect(canceled.return_after_seconds).toBeNull();
    expect(canceled.return_url).toContain('status=canceled'); // still linked for a manual return

    const b = await order({ return_url: 'app://xpayment.x', redirect_policy: policy });
    expect((await f.anon('POST', `/paystation/${b.token}/pay`)).json().return_after_seconds).toBe(3);

    const c = await order({
      return_url: 'app://xpayment.x',
      redirect_policy: { redirect_conditions: 'none' },
    });
    expect((await f.anon('POST', `/paystation/${c.token}/pay`)).json().return_after_seconds).toBeNull();
  });
});
