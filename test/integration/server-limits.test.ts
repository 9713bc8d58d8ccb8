/**
 * The server sheds what it cannot serve (issue 13 §3, ADR 0046), on a real socket with short timeouts:
 * - slow clients — headers never finished, a body never finished, a connection that sends nothing, an idle
 *   keep-alive connection — are closed within their timeouts (with a 408 envelope when a request had started),
 *   while normal reads keep answering all along;
 * - a connection upgraded (as a WebSocket is) is not closed by any of those timeouts;
 * - past HTTP_MAX_CONNECTIONS new connections are refused, and served again once others close;
 * - under pressure (event-loop lag, heap) requests answer 503 in the envelope with `Retry-After`, the liveness
 *   probe keeps answering, and service resumes when the pressure is gone.
 * The waits are bounded by the configured timeouts plus a generous margin for a busy machine.
 */
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

const HEADERS_MS = 1000;
const REQUEST_MS = 2000;
const KEEP_ALIVE_MS = 1000;
/** Margin over a timeout for a loaded machine (Node checks timeouts every 250 ms here). */
const SLACK_MS = 4000;

/** Slow connections of each kind (unfinished headers, unfinished body, silent); SLOW_CONNECTIONS=500 for the docs. */
const N = Number(process.env.SLOW_CONNECTIONS ?? 20);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listening(
  overrides: Partial<Config>,
): Promise<{ app: FastifyInstance; port: number; t: Tenant }> {
  const app = await testApp(overrides);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const t = await createTenant(app);
  return { app, port: (app.server.address() as { port: number }).port, t };
}

/** A raw connection that records what the server writes and when it closes it. */
interface Probe {
  socket: Socket;
  received: () => string;
  closedAt: Promise<number>;
}
function probe(port: number, bytes = '', trickleEveryMs = 0): Probe {
  const chunks: Buffer[] = [];
  const socket = connect(port, '127.0.0.1');
  socket.on('data', (c) => chunks.push(c));
  socket.on('error', () => {});
  const closedAt = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  socket.on('connect', () => {
    if (bytes) socket.write(bytes);
    if (trickleEveryMs) {
      const timer = setInterval(
        () => (socket.writable ? socket.write('a') : clearInterval(timer)),
        trickleEveryMs,
      );
      socket.on('close', () => clearInterval(timer));
    }
  });
  return { socket, received: () => Buffer.concat(chunks).toString('utf8'), closedAt };
}

/** The envelope of a raw HTTP answer. */
function envelopeOf(response: string) {
  const [head, body] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as Record<string, unknown> };
}

describe('slow connections are closed within their timeouts; normal reads keep answering', () => {
  let app: FastifyInstance;
  let port: number;
  let t: Tenant;
  beforeAll(async () => {
    ({ app, port, t } = await listening({
      httpHeadersTimeoutMs: HEADERS_MS,
      httpRequestTimeoutMs: REQUEST_MS,
      httpKeepAliveTimeoutMs: KEEP_ALIVE_MS,
      httpConnectionTimeoutMs: 0,
    }));
  });
  afterAll(async () => app.close());

  it('closes unfinished headers, unfinished bodies and silent connections', async () => {
    const started = Date.now();
    const path = `/api/v2/project/${t.projectId}/cart/fill`;
    // authenticated, so that the server waits for the body (a refused request is answered at once)
    const auth = `Authorization: Bearer ${await t.userToken('slow-user')}\r\n`;
    const slow = [
      ...Array.from({ length: N }, () =>
        probe(port, 'GET /api/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ', 250),
      ),
      ...Array.from({ length: N }, () =>
        probe(
          port,
          `PUT ${path} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
          250,
        ),
      ),
      ...Array.from({ length: N }, () => probe(port)),
    ];
    // normal reads answer while the slow connections are held open
    const reads: number[] = [];
    let allClosed = false;
    const reader = (async () => {
      while (!allClosed || reads.length < 5) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v2/project/${t.projectId}/items/virtual_items`);
        reads.push(res.status);
        await res.arrayBuffer();
        await sleep(100);
      }
    })();
    const closed = await Promise.all(slow.map((p) => p.closedAt));
    allClosed = true;
    const readsWhileOpen = reads.length;
    await reader;
    expect(new Set(reads)).toEqual(new Set([200]));
    const latest = (from: number, to: number) =>
      Math.max(...closed.slice(from, to).map((at) => at - started));
    console.log(
      `slow connections: ${N} unfinished headers closed by ${latest(0, N)} ms (timeout ${HEADERS_MS}), ` +
        `${N} unfinished bodies by ${latest(N, 2 * N)} ms (timeout ${REQUEST_MS}), ` +
        `${N} silent by ${latest(2 * N, 3 * N)} ms; ${readsWhileOpen} reads answered while they were open`,
    );
    expect(latest(0, N)).toBeLessThan(HEADERS_MS + SLACK_MS);
    expect(latest(N, 2 * N)).toBeLessThan(REQUEST_MS + SLACK_MS);
    expect(latest(2 * N, 3 * N)).toBeLessThan(HEADERS_MS + SLACK_MS);
    // the slow requests got the 408 envelope before the close
    for (const p of slow.slice(0, 2 * N)) {
      const { status, body } = envelopeOf(p.received());
      expect(status).toBe(408);
      expect(body).toMatchObject({ statusCode: 408, errorCode: 0, errorMessage: 'Request Timeout' });
      expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('closes an idle keep-alive connection after its timeout', async () => {
    const started = Date.now();
    const p = probe(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAt = await p.closedAt;
    expect(p.received()).toMatch(/^HTTP\/1.1 200/);
    expect(closedAt - started).toBeLessThan(KEEP_ALIVE_MS + SLACK_MS);
  });

  it('does not close an upgraded connection (a WebSocket) by any HTTP timeout', async () => {
    // a bare upgrade handler standing in for the websocket endpoint: it switches protocols and echoes
    const onUpgrade = (_req: unknown, socket: Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => socket.end()); // the HTTP server allows half-open sockets: close our half too
      socket.on('error', () => {});
    };
    app.server.on('upgrade', onUpgrade);
    try {
      const p = probe(
        port,
        'GET /connection/test HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n',
      );
      let closed = false;
      void p.closedAt.then(() => (closed = true));
      await sleep(REQUEST_MS + KEEP_ALIVE_MS + 1500);
      expect(closed).toBe(false);
      p.socket.write('ping');
      await sleep(300);
      expect(p.received()).toMatch(/^HTTP\/1.1 101[\s\S]*ping$/);
      p.socket.destroy();
    } finally {
      app.server.off('upgrade', onUpgrade);
    }
  });
});

describe('the connection cap', () => {
  let app: FastifyInstance;
  let port: number;
  let t: Tenant;
  beforeAll(async () => {
    ({ app, port, t } = await listening({ httpMaxConnections: 5 }));
  });
  afterAll(async () => app.close());

  it('refuses connections past HTTP_MAX_CONNECTIONS and serves again once they close', async () => {
    const held = Array.from({ length: 5 }, () =>
      probe(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    );
    await sleep(300);
    const extra = probe(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closedAt;
    expect(extra.received()).toBe(''); // refused at accept: no answer at all
    for (const p of held) p.socket.destroy();
    await Promise.all(held.map((p) => p.closedAt));
    await sleep(100);
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/project/${t.projectId}/items/virtual_items`);
    expect(res.status).toBe(200);
  });
});

describe('load shedding (under pressure)', () => {
  it('event-loop lag: 503 envelope with Retry-After, liveness still answers, service resumes', async () => {
    const { app, t } = await listening({ pressureMaxLoopDelayMs: 200, pressureRetryAfterSeconds: 7 });
    try {
      const url = `/api/v2/project/${t.projectId}/items/virtual_items`;
      expect((await app.inject({ url })).statusCode).toBe(200);
      await sleep(2500); // lag counts from two samples after the app is ready (the start stalls the loop)
      // a saturated loop for 3 s: 300 ms of work per turn (the lag is the mean delay over a 1 s sample)
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const turn = Date.now() + 300;
        while (Date.now() < turn);
        await new Promise((r) => setImmediate(r));
      }
      const shed = await app.inject({ url });
      expect(shed.statusCode, shed.body).toBe(503);
      expect(shed.headers['retry-after']).toBe('7');
      expect(shed.json()).toMatchObject({
        statusCode: 503,
        errorCode: 0,
        errorMessage: 'Service Unavailable',
      });
      expect(shed.json().transactionId).toMatch(/^[0-9a-f]{32}$/);
      expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
      // the next samples see a loop that keeps up again
      let status = 503;
      for (let i = 0; i < 20 && status === 503; i++) {
        await sleep(500);
        status = (await app.inject({ url })).statusCode;
      }
      expect(status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a start that stalled the event loop does not make the fresh server shed', async () => {
    const app = await testApp({ pressureMaxLoopDelayMs: 200 });
    try {
      const until = Date.now() + 1500;
      while (Date.now() < until); // as a PGlite directory or the demo seed stalls a start
      await app.listen({ port: 0, host: '127.0.0.1' });
      const t = await createTenant(app);
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({ url: `/api/v2/project/${t.projectId}/items/virtual_items` });
        expect(res.statusCode, res.body).toBe(200);
        await sleep(200);
      }
    } finally {
      await app.close();
    }
  });

  it('heap over its bound: every request but liveness answers 503 with the envelope', async () => {
    const { app, t } = await listening({ pressureMaxHeapPercent: 0.0001 });
    try {
      await sleep(1500); // the first memory sample
      const res = await app.inject({ url: `/api/v2/project/${t.projectId}/items/virtual_items` });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.json()).toMatchObject({ statusCode: 503, errorCode: 0 });
      expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
