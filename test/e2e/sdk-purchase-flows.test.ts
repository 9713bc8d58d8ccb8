/**
 * A purchase made the way EACH official Xsolla client makes it, against Itemshop over real HTTP (issue 11 "Done
 * when"): the catalog read, the order request, the pay station, and the polling of `GET /order/{id}` with the token
 * that client polls with, until `done`. What each client sends — paths, bodies, query parameters, headers, auth —
 * is written down here in our own words from the SDKs' public sources:
 *
 * - iOS (commerce-ios-sdk StoreKit): `additional_fields` comma-joined, analytics query `engine`/`engine_v`/`sdk`/
 *   `sdk_v` on every call, create-order-with-item with `settings` carrying `sdk {platform: ios, browser_type:
 *   wk_web_view}` and an app-scheme `return_url`, the custom parameters under the camelCase key it encodes
 *   (`customParameters`), polling with the user JWT (OrdersTracker);
 * - Android (store-android-sdk): `X-ENGINE`/`X-SDK` headers, `additional_fields` repeated without brackets
 *   (Retrofit list query), create-order-with-item with `country` at the top level and `settings.sdk {platform:
 *   android}`, `ui.gp_quick_payment_button`; and its client-side token call `POST /payment` (`purchase.checkout`,
 *   `purchase.description`, `settings.uiSettings`, `settings.payment_method` as a string); polling with the JWT;
 * - Unity (store-unity-sdk): `additional_fields[]`, analytics query and headers, the purchase params body
 *   (`user.country`, `user.tracking_id`, `settings.redirect_policy` with `app://xpayment.<bundle>`,
 *   `settings.sdk`), and `POST /payment` with `purchase.items[]` priced as strings; polling with the JWT;
 * - Unreal (store-ue4-sdk): `X-ENGINE`/`X-SDK`/`X-BUILD-PLATFORM` headers, `additional_fields[]`, the payment
 *   payload with `settings.ui.is_independent_windows`, `settings.ui.desktop.header`, a top-level `return_url`, and
 *   the pay station URL with `engine`, `sdk`, `browser_type`, `build_platform`; polling WITH THE PAYMENT TOKEN
 *   (XsollaOrderCheckObject);
 * - Cocos Creator (commerce-cocos-sdk): `…/group/all` when no group is chosen, `additional_fields[]`, the headers
 *   of its HttpUtil, fetchPaymentToken with `settings.external_id`, polling WITH THE PAYMENT TOKEN (OrderTracker);
 * - Defold (extension-xsolla): `additional_fields` repeated without brackets, `promo_code`, create_order_with_item
 *   with `settings.ui.desktop.header`, get_payment_url, get_order with the Bearer JWT;
 * - the web / React shop (store-demo): groups then `…/virtual_items/group/{id}`, the cart, `POST /payment/cart`
 *   `{sandbox, settings.ui.theme}`, the pay station opened in a browser (Chromium, when installed), get-order with
 *   the JWT.
 *
 * Every answer is checked on the way: no 5xx, and every error carries the Xsolla envelope.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { HAS_CHROMIUM, launchChromium, noteSkippedWithoutChromium } from '../helpers/chromium.js';
import { shopFixture, type ShopFixture } from '../integration/orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;
let base: string;
/** Every response of these flows, for the no-5xx / envelope check. */
const seen: { what: string; status: number; body: unknown }[] = [];

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const r of seen) {
    expect(r.status, `${r.what}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
    if (r.status >= 400) {
      expect(r.body, r.what).toMatchObject({
        statusCode: r.status,
        errorCode: expect.any(Number),
        errorMessage: expect.any(String),
        transactionId: expect.any(String),
      });
    }
  }
  await app?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An HTTP call as a client makes it; the answer is recorded for the envelope check. */
async function http(
  method: string,
  path: string,
  opts: { bearer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
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
  seen.push({ what: `${method} ${path}`, status: res.status, body });
  return { status: res.status, body, text };
}

const project = () => `/api/v2/project/${f.t.projectId}`;

/** The pay station of `token` as the SDK opens it (page, with the SDK's query), then its Pay button's call. */
async function payOnPaystation(token: string, query = '') {
  const page = await http('GET', `/paystation4/?token=${token}${query}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<button id="pay">');
  const paid = await http('POST', `/api/paystation/${token}/pay`);
  expect(paid.status, paid.text).toBe(200);
}

/** Polls get-order with `bearer` (a JWT or the payment token) as the SDKs do, until a final status. */
async function pollUntilFinal(orderId: number, bearer: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < 10; i++) {
    const res = await http('GET', `${project()}/order/${orderId}`, { bearer, headers });
    expect(res.status, res.text).toBe(200);
    if (res.body.status === 'done' || res.body.status === 'canceled') return res.body;
  }
  throw new Error(`order ${orderId} never reached a final status`);
}

describe('iOS SDK', () => {
  it('catalog → create-order-with-item → pay station → get-order (user JWT) until done', async () => {
    const jwt = await f.token('ios-player');
    const analytics = 'engine=ios&engine_v=17.4&sdk=store&sdk_v=3.0.0';
    const headers = { accept: 'application/json', 'accept-charset': 'utf-8' };
    const list = await http(
      'GET',
      `${project()}/items/virtual_items?locale=en&additional_fields=media_list,order&${analytics}`,
      { bearer: jwt, headers },
    );
    expect(list.status, list.text).toBe(200);
    const sword = list.body.items.find((i: Json) => i.sku === 'sword');
    expect(sword).toHaveProperty('media_list');

    const created = await http('POST', `${project()}/payment/item/sword?${analytics}`, {
      bearer: jwt,
      headers,
      body: {
        quantity: 1,
        sandbox: true,
        settings: {
          ui: {
            theme: '63295aab2e47fab76f7708e3',
            size: 'medium',
            mobile: { header: { close_button: true } },
          },
          return_url: 'xsollasdk123456://xsollaconfirm/payment',
          redirect_policy: { redirect_conditions: 'any', delay: 0, status_for_manual_redirection: 'none' },
          sdk: { platform: 'ios', browser_type: 'wk_web_view' },
        },
        customParameters: { source: 'ios' },
      },
    });
    expect(created.status, created.text).toBe(200);
    const { order_id, token } = created.body;
    await payOnPaystation(token);
    const order = await pollUntilFinal(order_id, jwt, headers);
    expect(order).toMatchObject({ order_id, status: 'done' });
  });
});

describe('Android SDK', () => {
  const headers = { 'X-ENGINE': 'ANDROID', 'X-ENGINE-V': '14', 'X-SDK': 'STORE', 'X-SDK-V': '2.5.0' };

  it('create-order-with-item → pay station → get-order (user JWT) until done', async () => {
    const jwt = await f.token('droid-player');
    const list = await http(
      'GET',
      `${project()}/items/virtual_items?limit=50&offset=0&additional_fields=long_description&additional_fields=order`,
      { bearer: jwt, headers },
    );
    expect(list.status, list.text).toBe(200);
    const created = await http('POST', `${project()}/payment/item/arrows`, {
      bearer: jwt,
      headers,
      body: {
        sandbox: true,
        quantity: 2,
        country: 'US',
        settings: {
          ui: { theme: '63295aab2e47fab76f7708e3', gp_quick_payment_button: true },
          sdk: { platform: 'android' },
        },
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(Number.isInteger(created.body.order_id)).toBe(true); // parsed as Int
    await payOnPaystation(created.body.token);
    const order = await pollUntilFinal(created.body.order_id, jwt, headers);
    expect(order.status).toBe('done');
    expect(await f.held('droid-player', 'arrows')).toBe(2); // consumable: units add up
  });

  it('createPaymentToken (POST /payment) → pay station → get-order (user JWT) until done', async () => {
    const jwt = await f.token('droid-payer');
    const created = await http('POST', `${project()}/payment`, {
      bearer: jwt,
      headers,
      body: {
        settings: {
          uiSettings: { theme: '63295aab2e47fab76f7708e3' },
          sandbox: true,
          payment_method: '1380',
        },
        custom_parameters: { nameValuePairs: { campaign: 'spring' } }, // how gson writes an org.json JSONObject
        purchase: { checkout: { amount: 4.99, currency: 'USD' }, description: { value: 'Season pass' } },
      },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body.token).toMatch(/^[A-Za-z0-9]{32}$/);
    await payOnPaystation(created.body.token);
    expect((await pollUntilFinal(created.body.order_id, jwt, headers)).status).toBe('done');
  });
});

describe('Unity SDK', () => {
  const analytics = 'engine=unity&engine_v=2022.3.10f1&sdk=store&sdk_v=2.5.5&build_platform=android';
  const headers = { 'X-ENGINE': 'UNITY', 'X-ENGINE-V': '2022.3.10f1', 'X-SDK': 'STORE', 'X-SDK-V': '2.5.5' };

  it('purchase params → pay station → get-order (user JWT) until done', async () => {
    const jwt = await f.token('unity-player');
    const list = await http(
      'GET',
      `${project()}/items/virtual_items?limit=50&offset=0&locale=en&additional_fields[]=long_description&${analytics}`,
      { bearer: jwt, headers },
    );
    expect(list.status, list.text).toBe(200);
    const created = await http('POST', `${project()}/payment/item/sword?${analytics}`, {
      bearer: jwt,
      headers,
      body: {
        sandbox: true,
        quantity: 1,
        settings: {
          ui: { theme: '63295aab2e47fab76f7708e3', gp_quick_payment_button: true },
          redirect_policy: {
            return_url: 'app://xpayment.com.example.game',
            redirect_conditions: 'successful',
            delay: 0,
            status_for_manual_redirection: 'none',
            redirect_button_caption: 'Return to game',
          },
          return_url: 'app://xpayment.com.example.game',
          sdk: { platform: 'android' },
        },
        user: { country: 'US', tracking_id: { value: 'trk-1' } },
      },
    });
    expect(created.status, created.text).toBe(200);
    await payOnPaystation(created.body.token, `&${analytics}`);
    expect((await pollUntilFinal(created.body.order_id, jwt, headers)).status).toBe('done');
  });

  it('CreatePaymentToken with items (POST /payment) → pay station → done', async () => {
    const jwt = await f.token('unity-payer');
    const created = await http('POST', `${project()}/payment?${analytics}`, {
      bearer: jwt,
      headers,
      body: {
        settings: { ui: { theme: '63295aab2e47fab76f7708e3' }, currency: 'USD', locale: 'en', sandbox: true },
        purchase: {
          checkout: { amount: 2.5, currency: 'USD' },
          items: [{ name: 'Crystal', price: { amount: '1.25' }, quantity: 2 }],
        },
      },
    });
    expect(created.status, created.text).toBe(200);
    await payOnPaystation(created.body.token);
    expect((await pollUntilFinal(created.body.order_id, jwt, headers)).status).toBe('done');
  });
});

describe('Unreal SDK', () => {
  it('payment payload → pay station (its URL) → get-order polled WITH THE PAYMENT TOKEN until done', async () => {
    const jwt = await f.token('ue-player');
    const headers = {
      'X-ENGINE': 'UE5',
      'X-ENGINE-V': '5.3.2',
      'X-SDK': 'STORE',
      'X-SDK-V': '4.1.0',
      'X-BUILD-PLATFORM': 'Windows',
    };
    const list = await http(
      'GET',
      `${project()}/items/game/key/group/all?limit=50&offset=0&additional_fields[]=long_description`,
      { bearer: jwt, headers },
    );
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((i: Json) => i.sku)).toContain('quest_steam');
    const created = await http('POST', `${project()}/payment/item/quest_steam`, {
      bearer: jwt,
      headers,
      body: {
        sandbox: true,
        settings: {
          ui: {
            theme: '63295aab2e47fab76f7708e3',
            gp_quick_payment_button: true,
            desktop: { header: { close_button: false, close_button_icon: 'arrow' } },
            is_independent_windows: true,
          },
          payment_method: 0,
        },
        return_url: '',
        quantity: 1,
      },
    });
    expect(created.status, created.text).toBe(200);
    const { order_id, token } = created.body;
    await payOnPaystation(
      token,
      '&engine=ue5&engine_v=5.3.2&sdk=STORE&sdk_v=4.1.0&browser_type=embedded&build_platform=windows',
    );
    const order = await pollUntilFinal(order_id, token, headers); // the payment token, not the JWT
    expect(order).toMatchObject({ order_id, status: 'done' });
  });
});

describe('Cocos Creator SDK', () => {
  it('group all → fetchPaymentToken → pay station → get-order polled WITH THE PAYMENT TOKEN until done', async () => {
    const jwt = await f.token('cocos-player');
    const headers = {
      'X-ENGINE': 'COCOSCREATOR',
      'X-ENGINE-V': '3.8.3',
      'X-SDK': 'COMMERCE',
      'X-SDK-V': '1.0.0',
      'X-BUILD-PLATFORM': 'WEB-DESKTOP',
    };
    const list = await http(
      'GET',
      `${project()}/items/virtual_items/group/all?locale=en&additional_fields[]=media_list&limit=50&offset=0`,
      { bearer: jwt, headers },
    );
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((i: Json) => i.sku)).toContain('sword');
    const created = await http('POST', `${project()}/payment/item/sword`, {
      bearer: jwt,
      headers,
      body: {
        sandbox: true,
        quantity: 1,
        settings: { ui: { theme: '63295aab2e47fab76f7708e3' }, external_id: 'cocos-order-77' },
      },
    });
    expect(created.status, created.text).toBe(200);
    const { order_id, token } = created.body;
    await payOnPaystation(token);
    expect((await pollUntilFinal(order_id, token, headers)).status).toBe('done');
    const admin = await f.t.adminCall(
      'GET',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${order_id}`,
    );
    expect(admin.json().external_id).toBe('cocos-order-77');
  });
});

describe('Defold extension', () => {
  it('get_sellable_items → create_order_with_item → get_payment_url → get_order (Bearer JWT) until done', async () => {
    const jwt = await f.token('defold-player');
    const list = await http(
      'GET',
      `${project()}/items?limit=5&offset=0&locale=en&additional_fields=media_list&additional_fields=order` +
        '&country=US&promo_code=WINTER2021&show_inactive_time_limited_items=1',
      { bearer: jwt },
    );
    expect(list.status, list.text).toBe(200);
    const created = await http('POST', `${project()}/payment/item/arrows`, {
      bearer: jwt,
      body: {
        sandbox: true,
        quantity: 1,
        settings: {
          ui: {
            theme: '63295a9a2e47fab76f7708e1',
            desktop: {
              header: {
                is_visible: true,
                visible_logo: true,
                visible_name: true,
                visible_purchase: true,
                type: 'normal',
                close_button: true,
              },
            },
          },
        },
      },
    });
    expect(created.status, created.text).toBe(200);
    await payOnPaystation(created.body.token);
    expect((await pollUntilFinal(created.body.order_id, jwt)).status).toBe('done');
  });
});

describe('web / React shop (store-demo)', () => {
  it('groups → group items → cart → payment/cart → pay station in a browser → get-order (JWT) until done', async () => {
    const jwt = await f.token('web-player');
    const groups = await http('GET', `${project()}/items/groups`);
    expect(groups.status, groups.text).toBe(200);
    const all = await http('GET', `${project()}/items/virtual_items/group/all`, { bearer: jwt });
    expect(all.status, all.text).toBe(200);
    const put = await http('PUT', `${project()}/cart/item/sword`, {
      bearer: jwt,
      body: { quantity: 1 },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(put.status, put.text).toBeLessThan(300);
    const created = await http('POST', `${project()}/payment/cart`, {
      bearer: jwt,
      body: { sandbox: true, settings: { ui: { theme: 'dark' } } },
    });
    expect(created.status, created.text).toBe(200);
    const { order_id, token } = created.body;

    if (HAS_CHROMIUM) {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/paystation4/?token=${token}`);
        await Promise.all([page.waitForEvent('load'), page.click('#pay')]);
        expect(await page.textContent('#status')).toBe('Paid — items delivered');
      } finally {
        await browser.close();
      }
    } else {
      noteSkippedWithoutChromium('web shop flow in a browser (paying through the pay station JSON call)');
      await payOnPaystation(token);
    }
    expect((await pollUntilFinal(order_id, jwt)).status).toBe('done');
  });
});
