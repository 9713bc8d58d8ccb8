/**
 * The Event API the Unity SDK uses to track orders without a server (issue 12 item 2, ADR 0031):
 * `GET /events?project_id=` lists the user's unprocessed `order_paid` / `order_canceled` events and
 * `POST /events/{id}/processed?project_id=` takes one off the list — at the root, as on getupdate.xsolla.com, with
 * the user JWT, served from the webhook outbox, also in projects without a webhook.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, testApp } from '../helpers/app.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';
import { WebhookReceiver, waitFor } from './webhooks-helpers.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp({ webhookPollIntervalMs: 50 });
  f = await shopFixture(app);
});
afterAll(async () => app.close());

interface UserEvent {
  id: number;
  status: number;
  created_at: string;
  data: {
    notification_type: string;
    order: { id: number; status: string; amount: string; currency: string };
    items: { sku: string; quantity: number; amount: string }[];
    user: { external_id: string };
    settings: { project_id: number; merchant_id: number };
  };
}

async function events(fx: ShopFixture, userId: string, query = ''): Promise<UserEvent[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/events?project_id=${fx.t.projectId}${query}`,
    headers: { authorization: `Bearer ${await fx.token(userId)}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { events: UserEvent[] }).events;
}

async function processed(fx: ShopFixture, userId: string, eventId: number): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/events/${eventId}/processed?project_id=${fx.t.projectId}`,
    headers: { authorization: `Bearer ${await fx.token(userId)}` },
  });
}

async function paidOrder(fx: ShopFixture, userId: string) {
  const order = await swordOrder(fx, userId);
  const res = await fx.anon('POST', `/paystation/${order.token}/pay`);
  expect(res.statusCode, res.body).toBe(200);
  return order;
}

describe('GET /events', () => {
  it("lists the user's order_paid event with the webhook body, in a project without a webhook", async () => {
    const { order_id } = await paidOrder(f, 'ann');
    const list = await events(f, 'ann');
    expect(list).toHaveLength(1);
    const [e] = list;
    expect(Number.isInteger(e.id)).toBe(true);
    expect(e.status).toBe(0);
    expect(e.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(e.data).toMatchObject({
      notification_type: 'order_paid',
      order: { id: order_id, status: 'paid', amount: '9.9900', currency: 'USD' },
      items: [{ sku: 'sword', quantity: 1, amount: '9.9900' }],
      user: { external_id: 'ann' },
      settings: { project_id: f.t.projectId, merchant_id: f.t.merchantId },
    });
  });

  it('adds order_canceled on a refund, and filters by types and after_id', async () => {
    const { order_id } = await paidOrder(f, 'bea');
    const refund = await f.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${order_id}/refund`,
    );
    expect(refund.statusCode, refund.body).toBe(200);
    const all = await events(f, 'bea');
    expect(all.map((e) => [e.data.notification_type, e.data.order.id, e.data.order.status])).toEqual([
      ['order_paid', order_id, 'paid'],
      ['order_canceled', order_id, 'canceled'],
    ]);
    expect(all[1].id).toBeGreaterThan(all[0].id);
    expect((await events(f, 'bea', '&types=order_canceled')).map((e) => e.id)).toEqual([all[1].id]);
    expect((await events(f, 'bea', '&types=order_paid,order_canceled')).map((e) => e.id)).toEqual(
      all.map((e) => e.id),
    );
    expect((await events(f, 'bea', '&types=order_paid&types=order_canceled')).length).toBe(2);
    expect(await events(f, 'bea', '&types=payment')).toEqual([]);
    expect((await events(f, 'bea', `&after_id=${all[0].id}`)).map((e) => e.id)).toEqual([all[1].id]);
  });

  it('lists a virtual-currency purchase, and nothing of an order canceled before payment', async () => {
    await f.credit('cid', 30);
    const vc = await f.user('cid', 'POST', '/payment/item/shield/virtual/gold');
    expect(vc.statusCode, vc.body).toBe(200);
    const unpaid = await swordOrder(f, 'cid');
    await f.anon('POST', `/paystation/${unpaid.token}/cancel`);
    const list = await events(f, 'cid');
    expect(list.map((e) => [e.data.notification_type, e.data.order.id])).toEqual([
      ['order_paid', vc.json().order_id],
    ]);
  });

  it('never lists the events of another user or of another project', async () => {
    await paidOrder(f, 'dot');
    expect(await events(f, 'eli')).toEqual([]);
    const other = await shopFixture(app);
    expect(await events(other, 'dot')).toEqual([]);
  });
});

describe('POST /events/{id}/processed', () => {
  it('takes the event off the list (204), and again harmlessly', async () => {
    await paidOrder(f, 'fin');
    await paidOrder(f, 'fin');
    const [first, second] = await events(f, 'fin');
    const res = await processed(f, 'fin', first.id);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect((await events(f, 'fin')).map((e) => e.id)).toEqual([second.id]);
    expect((await processed(f, 'fin', first.id)).statusCode).toBe(204);
  });

  it("answers 404 for another user's event and leaves it listed for its owner", async () => {
    await paidOrder(f, 'gil');
    const [e] = await events(f, 'gil');
    for (const res of [await processed(f, 'hal', e.id), await processed(f, 'gil', 2_000_000_000)]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ statusCode: 404, errorCode: 1102 });
    }
    const other = await shopFixture(app);
    expect((await processed(other, 'gil', e.id)).statusCode).toBe(404);
    expect((await events(f, 'gil')).map((x) => x.id)).toEqual([e.id]);
  });
});

describe('auth and parameters', () => {
  it('requires a user JWT of the project (401/1501), and project_id (422)', async () => {
    const other = await createTenant(app);
    const cases: [string, Record<string, string>, number][] = [
      [`/events?project_id=${f.t.projectId}`, {}, 401],
      [
        `/events?project_id=${f.t.projectId}`,
        { authorization: `Bearer ${await other.userToken('ann')}` },
        401,
      ],
      [`/events?project_id=${f.t.projectId}`, { authorization: 'Bearer not-a-jwt' }, 401],
      [`/events?project_id=999999999`, { authorization: `Bearer ${await f.token('ann')}` }, 404],
      [`/events`, { authorization: `Bearer ${await f.token('ann')}` }, 422],
    ];
    for (const [url, headers, status] of cases) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, `${url} ${res.body}`).toBe(status);
      if (status === 401) expect(res.json()).toMatchObject({ statusCode: 401, errorCode: 1501 });
    }
    const post = await app.inject({ method: 'POST', url: `/events/1/processed?project_id=${f.t.projectId}` });
    expect(post.statusCode).toBe(401);
  });
});

describe('with a webhook configured', () => {
  it('sends the webhook and lists the same event; the delivery log shows only sent events', async () => {
    const receiver = await WebhookReceiver.start(() => 204);
    try {
      const g = await shopFixture(app);
      const set = await g.t.adminCall('PUT', '/admin/webhook', {
        url: receiver.url,
        secret: 'topsecret',
        is_enabled: true,
      });
      expect(set.statusCode, set.body).toBe(204);
      const { order_id } = await paidOrder(g, 'ivy');
      await waitFor('the webhook', async () => receiver.received.length === 1);
      const [e] = await events(g, 'ivy');
      const { settings, ...body } = e.data;
      expect(settings).toEqual({ project_id: g.t.projectId, merchant_id: g.t.merchantId });
      expect(body).toEqual(JSON.parse(receiver.received[0].raw.toString('utf8')));

      const bare = await shopFixture(app);
      await paidOrder(bare, 'ivy');
      expect((await events(bare, 'ivy')).length).toBe(1);
      const log = async (t: typeof g.t) =>
        (await t.adminCall('GET', `/api/itemshop/v1/project/${t.projectId}/admin/webhook/deliveries`)).json()
          .items as { order_id: number }[];
      expect((await log(g.t)).map((d) => d.order_id)).toEqual([order_id]);
      expect(await log(bare.t)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
