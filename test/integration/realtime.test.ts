/**
 * The realtime order channel `/connection/websocket` (issue 12 item 1, ADR 0030), driven by the real Centrifuge
 * client from npm in JSON and in Protobuf, and by a raw WebSocket client that speaks frame by frame as the Unity,
 * Unreal and Cocos SDKs do: the connect data `{auth, project_id}`, the server-side subscription to the user's
 * channel, one publication `{order_id, status}` per status change, ping/pong, and the refusal of bad credentials.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, testApp } from '../helpers/app.js';
import { centrifugeClient, RawClient, type CentrifugeHandle } from '../helpers/realtime.js';
import { shopFixture, swordOrder, type ShopFixture } from './orders-fixture.js';

let now = Date.now();
let app: FastifyInstance;
let f: ShopFixture;
let url: string;
const open: { close(): void }[] = [];

beforeAll(async () => {
  app = await testApp({ orderSweepIntervalSeconds: 0 }, { clock: () => now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/connection/websocket`;
  f = await shopFixture(app);
});
afterAll(async () => {
  for (const c of open) c.close();
  await app.close();
});

const data = async (userId: string) => ({ auth: await f.token(userId), project_id: f.t.projectId });

function client(protocol: 'json' | 'protobuf', connectData: unknown): CentrifugeHandle {
  const c = centrifugeClient(url, protocol, connectData);
  open.push(c);
  return c;
}

const pay = async (token: string) => {
  const res = await f.anon('POST', `/paystation/${token}/pay`);
  expect(res.statusCode, res.body).toBe(200);
};

describe.each(['json', 'protobuf'] as const)('a Centrifuge client (%s)', (protocol) => {
  it('is subscribed to its user’s channel by the server and receives done within one second of Pay', async () => {
    const user = `ann-${protocol}`;
    const ann = client(protocol, await data(user));
    expect(await ann.connected).toEqual([`orders:${f.t.projectId}#${user}`]);

    const { order_id, token } = await swordOrder(f, user);
    await ann.next((p) => p.data.order_id === order_id && p.data.status === 'new');
    await pay(token);
    // within one second of the pay station's answer
    await ann.next((p) => p.data.order_id === order_id && p.data.status === 'done', 1000);
    expect(ann.publications.filter((p) => p.data.order_id === order_id).map((p) => p.data)).toEqual([
      { order_id, status: 'new' },
      { order_id, status: 'paid' },
      { order_id, status: 'done' },
    ]);
  });

  it('gives a client authenticated as another user nothing of it', async () => {
    const ann = client(protocol, await data(`ann2-${protocol}`));
    const bob = client(protocol, await data(`bob-${protocol}`));
    await Promise.all([ann.connected, bob.connected]);
    const annOrder = await swordOrder(f, `ann2-${protocol}`);
    await pay(annOrder.token);
    await ann.next((p) => p.data.order_id === annOrder.order_id && p.data.status === 'done');
    // bob's channel works: his own order arrives, and it is all he ever got
    const bobOrder = await swordOrder(f, `bob-${protocol}`);
    await bob.next((p) => p.data.order_id === bobOrder.order_id && p.data.status === 'new');
    expect(bob.publications.map((p) => p.data.order_id)).toEqual([bobOrder.order_id]);
  });

  it('refuses a bad token as Centrifugo does: disconnect 3500 "invalid token", no reconnect', async () => {
    const other = await createTenant(app);
    const refused = [
      { auth: 'not-a-token', project_id: f.t.projectId },
      { auth: 'abc.def.ghi', project_id: f.t.projectId },
      { auth: await other.userToken('ann'), project_id: f.t.projectId }, // another project's JWT
      { auth: await f.token('ann'), project_id: 999_999_999 }, // an unknown project
      { project_id: f.t.projectId }, // no auth at all
    ];
    for (const d of refused) {
      const c = client(protocol, d);
      await expect(c.connected).rejects.toThrow();
      expect(await c.disconnected, JSON.stringify(d)).toEqual({ code: 3500, reason: 'invalid token' });
    }
  });
});

describe.each(['json', 'protobuf'] as const)(
  'history (%s), as Xsolla’s web guide reads it on subscribed',
  (protocol) => {
    it('gives the statuses the user’s orders took, with increasing offsets', async () => {
      const user = `hist-${protocol}`;
      const a = await swordOrder(f, user);
      await pay(a.token);
      const b = await swordOrder(f, user);
      await f.anon('POST', `/paystation/${b.token}/cancel`);
      const c = client(protocol, await data(user));
      const [channel] = await c.connected;
      const all = await c.client.history(channel, { limit: -1, since: { offset: 0, epoch: '' } });
      const decode = (d: unknown) =>
        d instanceof Uint8Array ? (JSON.parse(Buffer.from(d).toString('utf8')) as unknown) : d;
      expect(all.publications.map((p) => decode(p.data))).toEqual([
        { order_id: a.order_id, status: 'new' },
        { order_id: a.order_id, status: 'paid' },
        { order_id: a.order_id, status: 'done' },
        { order_id: b.order_id, status: 'new' },
        { order_id: b.order_id, status: 'canceled' },
      ]);
      const offsets = all.publications.map((p) => Number(p.offset));
      expect([...offsets].sort((x, y) => x - y)).toEqual(offsets);
      expect(all.offset).toBe(offsets.at(-1));
      const after = await c.client.history(channel, {
        limit: 10,
        since: { offset: offsets[2], epoch: all.epoch },
      });
      expect(after.publications.map((p) => decode(p.data))).toEqual([
        { order_id: b.order_id, status: 'new' },
        { order_id: b.order_id, status: 'canceled' },
      ]);
      const newest = await c.client.history(channel, { limit: 1, reverse: true });
      expect(newest.publications.map((p) => decode(p.data))).toEqual([
        { order_id: b.order_id, status: 'canceled' },
      ]);
      const position = await c.client.history(channel, { limit: 0 });
      expect(position.publications).toEqual([]);
      expect(position.offset).toBe(all.offset);
    });
  },
);

describe('connect data', () => {
  it('accepts project_id as a string and ignores user_external_id (the web guide sends it)', async () => {
    const c = client('json', {
      auth: await f.token('cat'),
      project_id: String(f.t.projectId),
      user_external_id: 'cat',
    });
    expect(await c.connected).toEqual([`orders:${f.t.projectId}#cat`]);
  });

  it('takes the project from the JWT when project_id is absent', async () => {
    const c = client('json', { auth: await f.token('dan') });
    expect(await c.connected).toEqual([`orders:${f.t.projectId}#dan`]);
  });

  it('accepts a payment token as auth: that order only, not the user’s other orders', async () => {
    const mine = await swordOrder(f, 'eve');
    const c = client('protobuf', { auth: mine.token, project_id: f.t.projectId });
    expect(await c.connected).toEqual([`order:${f.t.projectId}.${mine.order_id}`]);
    const other = await swordOrder(f, 'eve');
    await pay(other.token);
    await pay(mine.token);
    await c.next((p) => p.data.status === 'done');
    expect(c.publications.map((p) => p.data)).toEqual([
      { order_id: mine.order_id, status: 'paid' },
      { order_id: mine.order_id, status: 'done' },
    ]);
  });
});

describe('status changes', () => {
  it('announces a cancel, a refund and an expiry as canceled', async () => {
    const c = client('json', await data('fay'));
    await c.connected;
    const canceled = await swordOrder(f, 'fay');
    expect((await f.anon('POST', `/paystation/${canceled.token}/cancel`)).statusCode).toBe(200);
    await c.next((p) => p.data.order_id === canceled.order_id && p.data.status === 'canceled');

    const refunded = await swordOrder(f, 'fay');
    await pay(refunded.token);
    const refund = await f.t.adminCall(
      'POST',
      `/api/itemshop/v1/project/${f.t.projectId}/admin/order/${refunded.order_id}/refund`,
    );
    expect(refund.statusCode, refund.body).toBe(200);
    await c.next((p) => p.data.order_id === refunded.order_id && p.data.status === 'canceled');

    const expiring = await swordOrder(f, 'fay');
    now += 2 * 86_400_000;
    await app.services.orders.expireDue(new Date(now));
    await c.next((p) => p.data.order_id === expiring.order_id && p.data.status === 'canceled');
    expect(
      c.publications.filter((p) => p.data.order_id === expiring.order_id).map((p) => p.data.status),
    ).toEqual(['new', 'canceled']);
  });

  it('reaches a client that connects after the change only through get-order', async () => {
    const { order_id, token } = await swordOrder(f, 'gus');
    await pay(token);
    const c = client('json', await data('gus'));
    await c.connected;
    const res = await f.user('gus', 'GET', `/order/${order_id}`);
    expect(res.json().status).toBe('done');
    expect(c.publications).toEqual([]);
  });
});

describe('the JSON protocol frame by frame, as the Unity, Unreal and Cocos SDKs speak it', () => {
  it('answers connect in one frame, pushes one status per frame, and takes {} as a pong', async () => {
    const sdk = await RawClient.open(url);
    open.push(sdk);
    sdk.send({ connect: { data: { auth: await f.token('hal'), project_id: f.t.projectId } }, id: 1234567 });
    const reply = await sdk.next((fr) => fr.id === 1234567);
    expect(reply).toMatchObject({
      id: 1234567,
      connect: { subs: { [`orders:${f.t.projectId}#hal`]: {} }, ping: 25, pong: true },
    });
    expect(typeof (reply.connect as { client: unknown }).client).toBe('string');
    sdk.send('{}'); // Unreal and Cocos send their own {} pings: harmless
    const { order_id, token } = await swordOrder(f, 'hal');
    await pay(token);
    const done = await sdk.next(
      (fr) => (fr.push as { pub?: { data?: { status?: string } } })?.pub?.data?.status === 'done',
    );
    expect(done).toEqual({
      push: { channel: `orders:${f.t.projectId}#hal`, pub: { data: { order_id, status: 'done' } } },
    });
  });

  it('answers subscribe, publish and unknown methods as Centrifugo does, and closes on garbage (3501)', async () => {
    const sdk = await RawClient.open(url);
    open.push(sdk);
    sdk.send({ id: 1, connect: { data: { auth: await f.token('ida'), project_id: f.t.projectId } } });
    await sdk.next((fr) => fr.id === 1);
    sdk.send(
      [
        { id: 2, subscribe: { channel: `orders:${f.t.projectId}#ida` } },
        { id: 3, subscribe: { channel: `orders:${f.t.projectId}#ann` } },
        { id: 4, publish: { channel: `orders:${f.t.projectId}#ida`, data: {} } },
        { id: 5, history: { channel: `orders:${f.t.projectId}#ann`, limit: -1 } },
        { id: 6, ping: {} },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    expect(await sdk.next((fr) => fr.id === 2)).toEqual({
      id: 2,
      error: { code: 105, message: 'already subscribed' },
    });
    expect(await sdk.next((fr) => fr.id === 3)).toEqual({
      id: 3,
      error: { code: 103, message: 'permission denied' },
    });
    expect(await sdk.next((fr) => fr.id === 4)).toEqual({
      id: 4,
      error: { code: 103, message: 'permission denied' },
    });
    expect(await sdk.next((fr) => fr.id === 5)).toEqual({
      id: 5,
      error: { code: 103, message: 'permission denied' },
    });
    expect(await sdk.next((fr) => fr.id === 6)).toEqual({ id: 6, ping: {} });
    sdk.send('this is not JSON');
    expect(await sdk.closed).toEqual({ code: 3501, reason: 'bad request' });
  });

  it('closes a connection whose first command is not connect (3501)', async () => {
    const sdk = await RawClient.open(url);
    sdk.send({ id: 1, subscribe: { channel: 'orders:1#x' } });
    expect(await sdk.closed).toEqual({ code: 3501, reason: 'bad request' });
  });

  it('answers 404 to an upgrade on another path', async () => {
    await expect(RawClient.open(url.replace('/connection/websocket', '/elsewhere'))).rejects.toThrow(/404/);
  });
});

describe('keep-alive', () => {
  let quick: FastifyInstance;
  let quickUrl: string;
  beforeAll(async () => {
    quick = await testApp({ realtimePingIntervalSeconds: 1, realtimePongTimeoutSeconds: 1 });
    await quick.listen({ port: 0, host: '127.0.0.1' });
    quickUrl = `ws://127.0.0.1:${(quick.server.address() as { port: number }).port}/connection/websocket`;
  });
  afterAll(async () => quick.close());

  const connectRaw = async (answerPings: boolean) => {
    const t = await createTenant(quick);
    const sdk = await RawClient.open(quickUrl);
    sdk.answerPings = answerPings;
    sdk.send({ id: 1, connect: { data: { auth: await t.userToken('kim'), project_id: t.projectId } } });
    await sdk.next((fr) => fr.id === 1);
    return sdk;
  };

  it('pings with {} and keeps a client that answers', async () => {
    const sdk = await connectRaw(true);
    await new Promise((r) => setTimeout(r, 3500));
    expect(sdk.frames.filter((fr) => JSON.stringify(fr) === '{}').length).toBeGreaterThanOrEqual(2);
    expect(sdk.ws.readyState).toBe(sdk.ws.OPEN);
    sdk.close();
  });

  it('disconnects a client that stops answering: 3012 "no pong"', async () => {
    const sdk = await connectRaw(false);
    expect(await sdk.closed).toEqual({ code: 3012, reason: 'no pong' });
  });

  it('keeps a Centrifuge client (Protobuf) connected across pings', async () => {
    const t = await createTenant(quick);
    const c = centrifugeClient(quickUrl, 'protobuf', {
      auth: await t.userToken('lou'),
      project_id: t.projectId,
    });
    await c.connected;
    await new Promise((r) => setTimeout(r, 3500));
    expect(c.client.state).toBe('connected');
    c.close();
  });

  it('closes open connections with 3001 "shutdown" when the server stops', async () => {
    const other = await testApp();
    await other.listen({ port: 0, host: '127.0.0.1' });
    const t = await createTenant(other);
    const sdk = await RawClient.open(
      `ws://127.0.0.1:${(other.server.address() as { port: number }).port}/connection/websocket`,
    );
    sdk.send({ id: 1, connect: { data: { auth: await t.userToken('max'), project_id: t.projectId } } });
    await sdk.next((fr) => fr.id === 1);
    await other.close();
    expect(await sdk.closed).toEqual({ code: 3001, reason: 'shutdown' });
  });
});
