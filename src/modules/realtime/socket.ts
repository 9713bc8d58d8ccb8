/**
 * The Centrifugo-compatible WebSocket endpoint `/connection/websocket` (issue 12 item 1, ADR 0030), on the same
 * server (and port, HTTP or HTTPS) as the HTTP API: an `upgrade` listener on Fastify's server object hands the
 * request to `ws` (no HTTP route is involved; Fastify's request timeouts do not apply to an upgraded socket).
 *
 * One connection:
 * 1. The client sends `connect` (first command; any other first command is a protocol error → close 3501
 *    `bad request`; no connect within 10 s → close 3502 `stale`).
 * 2. The server authenticates its `data` (RealtimeService.authenticate). Refused → close 3500 `invalid token`
 *    (terminal: Centrifugo's answer to invalid credentials; the SDKs then fall back to polling get-order).
 *    Accepted → the connect reply: a client id, `subs` with the connection's channel (a server-side subscription:
 *    no subscribe command needed), `ping` (seconds) and `pong: true`.
 * 3. Every status change of the channel's orders arrives as a push `{push: {channel, pub: {data: {order_id,
 *    status}}}}`.
 * 4. Keep-alive as Centrifugo v4+: the server sends an empty ping every REALTIME_PING_SECONDS; the client
 *    answers with an empty command; no answer within REALTIME_PONG_WAIT_SECONDS → close 3012 `no pong`.
 * Other commands: `subscribe` to its own channel → error 105 `already subscribed`, to any other → 103 `permission
 * denied`; `history` of its own channel → the statuses its orders took (RealtimeService.history), of another → 103;
 * `unsubscribe` → empty result (the server-side subscription stays); `publish` → 103; `presence`,
 * `presence_stats`, `refresh`, `sub_refresh` → 108 `not available`; `rpc` → 104 `method not found`;
 * `ping` → empty result; `send` → ignored. A frame that cannot be decoded → close 3501. On shutdown every
 * connection is closed with 3001 `shutdown` (clients reconnect elsewhere).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  COMMAND_METHODS,
  ErrorCode,
  jsonCodec,
  protobufCodec,
  type Codec,
  type Command,
  type CommandMethod,
  type Reply,
} from './protocol.js';
import {
  RealtimeRefusal,
  type OrderStatusData,
  type RealtimeIdentity,
  type RealtimeService,
} from './service.js';

/** The path every Xsolla client connects to (`wss://ws-store.xsolla.com/connection/websocket`). */
export const REALTIME_PATH = '/connection/websocket';
/** The subprotocol of Protobuf frames. */
export const PROTOBUF_SUBPROTOCOL = 'centrifuge-protobuf';
/** What the connect reply names as the server version. */
const SERVER_VERSION = 'itemshop';
/** Largest frame accepted from a client, in bytes (commands are small). */
const MAX_FRAME_BYTES = 64 * 1024;
/** A connection whose unsent data exceeds this many bytes is closed as too slow (3008). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface RealtimeSocketOptions {
  /** Seconds between the server's pings (Centrifugo's default: 25). */
  pingIntervalSeconds: number;
  /** Seconds a client has to answer a ping (Centrifugo's default: 8). */
  pongTimeoutSeconds: number;
  /** Seconds a client has to send its connect command after the socket opened. */
  connectTimeoutSeconds: number;
}

/** Centrifugo disconnect codes used here (3000–3499: the client may reconnect; 3500+: it must not). */
export const Disconnect = {
  shutdown: { code: 3001, reason: 'shutdown' },
  internal: { code: 3004, reason: 'internal server error' },
  slow: { code: 3008, reason: 'slow' },
  noPong: { code: 3012, reason: 'no pong' },
  badRequest: { code: 3501, reason: 'bad request' },
  stale: { code: 3502, reason: 'stale' },
} as const;

const isPathOf = (url: string | undefined) => {
  const path = (url ?? '').split('?')[0].replace(/\/+$/, '');
  return path === REALTIME_PATH;
};

/** The codec a request asks for: the Protobuf subprotocol or `format` / `cf_protocol` query, else JSON. */
function codecOf(request: IncomingMessage, ws: WebSocket): Codec {
  if (ws.protocol === PROTOBUF_SUBPROTOCOL) return protobufCodec;
  const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
  return query.get('format') === 'protobuf' || query.get('cf_protocol') === 'protobuf'
    ? protobufCodec
    : jsonCodec;
}

const methodOf = (command: Command): CommandMethod | undefined =>
  COMMAND_METHODS.find((m) => command[m] !== undefined && command[m] !== null);

/** One client connection. */
class Session {
  private state: 'connecting' | 'connected' | 'closed' = 'connecting';
  private channel?: string;
  private identity?: RealtimeIdentity;
  private detach?: () => void;
  private timers: { connect?: NodeJS.Timeout; ping?: NodeJS.Timeout; pong?: NodeJS.Timeout } = {};
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly codec: Codec,
    private readonly service: RealtimeService,
    private readonly options: RealtimeSocketOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.timers.connect = setTimeout(
      () => this.disconnect(Disconnect.stale),
      options.connectTimeoutSeconds * 1000,
    );
    ws.on('message', (data, isBinary) => this.received(data, isBinary));
    ws.on('close', () => this.closed());
    ws.on('error', (e) => this.log.debug({ err: e }, 'realtime: socket error'));
  }

  /** Closes the connection with a Centrifugo disconnect code (a WebSocket close frame). */
  disconnect(d: { code: number; reason: string }) {
    if (this.state === 'closed') return;
    this.closed();
    this.ws.close(d.code, d.reason);
    setTimeout(() => this.ws.terminate(), 2000).unref(); // a client that never answers the close frame
  }

  private isClosed() {
    return this.state === 'closed';
  }

  private closed() {
    this.state = 'closed';
    this.detach?.();
    this.detach = undefined;
    for (const t of Object.values(this.timers)) clearTimeout(t);
    clearInterval(this.timers.ping);
  }

  private received(data: RawData, _isBinary: boolean) {
    if (this.state === 'closed') return;
    const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let commands: Command[];
    try {
      commands = this.codec.decode(frame);
    } catch (e) {
      this.log.debug({ err: e }, 'realtime: undecodable frame');
      this.disconnect(Disconnect.badRequest);
      return;
    }
    for (const command of commands)
      this.queue = this.queue
        .then(() => this.handle(command))
        .catch((e: unknown) => {
          this.log.error({ err: e }, 'realtime: command failed');
          this.disconnect(Disconnect.internal);
        });
  }

  private send(reply: Reply) {
    if (this.state === 'closed') return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.disconnect(Disconnect.slow);
      return;
    }
    this.ws.send(this.codec.encode(reply));
  }

  private reply(command: Command, result: Omit<Reply, 'id'>) {
    if (command.id === undefined || command.id === 0) return; // nothing to answer to
    this.send({ id: command.id, ...result });
  }

  private error(command: Command, code: number, message: string) {
    this.reply(command, { error: { code, message } });
  }

  private async handle(command: Command) {
    if (this.state === 'closed') return;
    const method = methodOf(command);
    if (!method) {
      // An empty command is the answer to a ping (Centrifugo v4+); clients also send it on their own.
      clearTimeout(this.timers.pong);
      this.timers.pong = undefined;
      return;
    }
    if (this.state === 'connecting' && method !== 'connect') return this.disconnect(Disconnect.badRequest);
    switch (method) {
      case 'connect':
        return this.connect(command);
      case 'subscribe':
        return command.subscribe?.channel === this.channel
          ? this.error(command, ErrorCode.alreadySubscribed, 'already subscribed')
          : this.error(command, ErrorCode.permissionDenied, 'permission denied');
      case 'unsubscribe':
        return this.reply(command, { unsubscribe: {} });
      case 'publish':
        return this.error(command, ErrorCode.permissionDenied, 'permission denied');
      case 'history':
        return command.history?.channel === this.channel && this.identity
          ? this.reply(command, { history: await this.service.history(this.identity, command.history ?? {}) })
          : this.error(command, ErrorCode.permissionDenied, 'permission denied');
      case 'ping':
        return this.reply(command, { ping: {} });
      case 'send':
        return;
      case 'rpc':
        return this.error(command, ErrorCode.methodNotFound, 'method not found');
      default:
        return this.error(command, ErrorCode.notAvailable, 'not available');
    }
  }

  private async connect(command: Command) {
    if (this.state !== 'connecting') return this.disconnect(Disconnect.badRequest);
    clearTimeout(this.timers.connect);
    let identity;
    try {
      identity = await this.service.authenticate(command.connect);
    } catch (e) {
      if (!(e instanceof RealtimeRefusal)) throw e;
      this.log.debug({ reason: e.message }, 'realtime: connect refused');
      return this.disconnect(e);
    }
    if (this.isClosed()) return; // the client went away while we authenticated
    const { channel, detach } = this.service.attach(identity, (ch, data) => this.publication(ch, data));
    this.state = 'connected';
    this.channel = channel;
    this.identity = identity;
    this.detach = detach;
    this.reply(command, {
      connect: {
        client: randomUUID(),
        version: SERVER_VERSION,
        subs: { [channel]: {} },
        ping: this.options.pingIntervalSeconds,
        pong: true,
        node: this.service.node,
      },
    });
    this.timers.ping = setInterval(() => this.ping(), this.options.pingIntervalSeconds * 1000);
  }

  private ping() {
    if (this.state !== 'connected') return;
    if (!this.timers.pong)
      this.timers.pong = setTimeout(
        () => this.disconnect(Disconnect.noPong),
        this.options.pongTimeoutSeconds * 1000,
      );
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.disconnect(Disconnect.slow);
    this.ws.send(this.codec.ping);
  }

  private publication(channel: string, data: OrderStatusData) {
    this.send({ push: { channel, pub: { data } } });
  }
}

/**
 * Serves `/connection/websocket` on `app.server` (call before `listen`). Upgrade requests for other paths are left
 * to other `upgrade` listeners, or answered 404 when there is none. Connections are closed with 3001 `shutdown`
 * before the server closes (preClose).
 */
export function registerRealtimeSocket(
  app: FastifyInstance,
  service: RealtimeService,
  options: RealtimeSocketOptions,
): void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has(PROTOBUF_SUBPROTOCOL)
        ? PROTOBUF_SUBPROTOCOL
        : protocols.has('centrifuge-json')
          ? 'centrifuge-json'
          : false,
  });
  const sessions = new Set<Session>();
  let closing = false;
  const log = app.log.child({ realtime: true });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isPathOf(request.url)) {
      if (app.server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new Session(ws, codecOf(request, ws), service, options, log);
      sessions.add(session);
      ws.once('close', () => sessions.delete(session));
    });
  };
  app.server.on('upgrade', onUpgrade);

  app.addHook('preClose', async () => {
    closing = true;
    app.server.off('upgrade', onUpgrade);
    const open = [...wss.clients];
    for (const session of sessions) session.disconnect(Disconnect.shutdown);
    await Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            ws.once('close', () => resolve());
          }),
      ),
    );
    wss.close();
  });
}

function refuse(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
