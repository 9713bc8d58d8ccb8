/**
 * Realtime test clients: the real `centrifuge` npm client (JSON or Protobuf, on `ws`) and a raw WebSocket client
 * that speaks the JSON protocol frame by frame as the Unity, Unreal and Cocos SDKs do.
 */
import { Centrifuge as JsonCentrifuge } from 'centrifuge';
import { Centrifuge as ProtobufCentrifuge } from 'centrifuge/build/protobuf';
import WebSocket from 'ws';

export interface Received {
  channel: string;
  data: { order_id: number; status: string };
}

export interface CentrifugeHandle {
  client: InstanceType<typeof JsonCentrifuge> | InstanceType<typeof ProtobufCentrifuge>;
  /** Every server-side publication received, in order. */
  publications: Received[];
  /** Resolves with the channels of the connect reply's subscriptions when connected; rejects when refused. */
  connected: Promise<string[]>;
  /** Resolves with the first `disconnected` event. */
  disconnected: Promise<{ code: number; reason: string }>;
  /** Resolves with the first publication that `match` accepts (rejects after `ms`). */
  next(match: (r: Received) => boolean, ms?: number): Promise<Received>;
  close(): void;
}

/**
 * A Centrifuge client connected to `url` (`ws://…/connection/websocket`) with the connect `data` every Xsolla SDK
 * sends. No reconnects: a refusal ends it.
 */
export function centrifugeClient(
  url: string,
  protocol: 'json' | 'protobuf',
  data: unknown,
): CentrifugeHandle {
  const Impl = protocol === 'json' ? JsonCentrifuge : ProtobufCentrifuge;
  const publications: Received[] = [];
  const waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  const decode = (raw: unknown) =>
    (raw instanceof Uint8Array ? JSON.parse(Buffer.from(raw).toString('utf8')) : raw) as Received['data'];
  const client = new Impl(url, {
    websocket: WebSocket,
    data: protocol === 'json' ? data : new TextEncoder().encode(JSON.stringify(data)),
    minReconnectDelay: 60_000,
    maxReconnectDelay: 60_000,
  } as ConstructorParameters<typeof JsonCentrifuge>[1]);
  const subscribed: string[] = [];
  client.on('subscribed', (ctx) => subscribed.push(ctx.channel));
  client.on('publication', (ctx) => {
    const r = { channel: ctx.channel, data: decode(ctx.data) };
    publications.push(r);
    for (const w of [...waiters]) if (w.match(r)) w.resolve(r);
  });
  const disconnected = new Promise<{ code: number; reason: string }>((resolve) =>
    client.on('disconnected', (ctx) => resolve({ code: ctx.code, reason: ctx.reason })),
  );
  const connected = new Promise<string[]>((resolve, reject) => {
    client.on('connected', () => setImmediate(() => resolve(subscribed))); // subscribed events follow connected
    void disconnected.then((d) => reject(new Error(`disconnected ${d.code} ${d.reason}`)));
  });
  connected.catch(() => {});
  client.connect();
  return {
    client,
    publications,
    connected,
    disconnected,
    next(match, ms = 5000) {
      const seen = publications.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching publication within ${ms} ms`)), ms);
        waiters.push({
          match,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    close: () => client.disconnect(),
  };
}

/** A raw JSON WebSocket client: every text frame parsed as ONE JSON object, as the SDKs written for Xsolla do. */
export class RawClient {
  readonly frames: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters: { match: (f: unknown) => boolean; resolve: (f: unknown) => void }[] = [];
  /** Answer the server's `{}` pings with `{}` (the SDKs do). */
  answerPings = true;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const frame: unknown = JSON.parse(text); // throws (fails the test) when a frame holds more than one object
      if (text === '{}' && this.answerPings) ws.send('{}');
      this.frames.push(frame);
      for (const w of [...this.waiters]) if (w.match(frame)) w.resolve(frame);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, protocols?: string[]): Promise<RawClient> {
    const ws = new WebSocket(url, protocols);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  send(value: unknown) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The first frame (seen or to come) that `match` accepts. */
  next<T = Record<string, unknown>>(match: (f: Record<string, unknown>) => boolean, ms = 5000): Promise<T> {
    const m = (f: unknown) => f !== null && typeof f === 'object' && match(f as Record<string, unknown>);
    const seen = this.frames.find(m);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${ms} ms`)), ms);
      this.waiters.push({
        match: m,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
      });
    });
  }

  close() {
    this.ws.close();
  }
}
