/**
 * The one fan-out between the processes of an Itemshop deployment (several `serve --workers`, several hosts on one
 * PostgreSQL): every message one process publishes reaches every other process of the deployment. It carries
 * typed messages (messages.ts): catalog_version bumps (catalog/sync.ts drops stale snapshots), order status
 * changes (the realtime channel, modules/realtime) and identity_version bumps (modules/tenancy/directory.ts drops
 * cached projects, keys and secrets). ADR 0015 (catalog sync), ADR 0030 (one channel for both).
 *
 * - PostgreSQL (`DATABASE_URL`): `NOTIFY itemshop_fanout, '<json>'` — inside a write transaction (`inTransaction`,
 *   delivered at commit, never for a rolled-back write) or on its own (`publish`, after a commit); each process
 *   LISTENs on one dedicated connection (not from the pool).
 * - Redis (`REDIS_URL` set): `PUBLISH itemshop:fanout '<json>'` after commit (`afterCommit`, `publish`); each
 *   process subscribes. Used instead of NOTIFY when configured.
 * - PGlite: one process per data directory, nothing to send (`LocalFanout`).
 *
 * A process never receives its own messages (each carries the sender's `node` id): it acts on its own changes
 * directly. When the listening connection drops and comes back, messages may have been missed: the `onResync`
 * listeners are told (the catalog drops every snapshot; realtime clients read missed statuses with get-order).
 * Delivery is at most once: a process killed between its commit and its PUBLISH/NOTIFY loses that message.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Redis } from 'ioredis';
import type { DB, Executor } from '../db/types.js';
import { decodeMessage, encodeMessage, type FanoutMessage } from './messages.js';

/** NOTIFY channel and Redis channel of the fan-out. */
export const PG_CHANNEL = 'itemshop_fanout';
export const REDIS_CHANNEL = 'itemshop:fanout';

export type FanoutListener = (message: FanoutMessage) => void;

export interface Fanout {
  readonly mode: 'local' | 'postgres' | 'redis';
  /** This process's id in the messages it sends (16 hex). */
  readonly node: string;
  /**
   * Sends `message` from inside a write transaction, paired with `afterCommit` after it commits: PostgreSQL
   * NOTIFYs here (delivered at commit), Redis PUBLISHes in afterCommit, local does nothing.
   */
  inTransaction(trx: Executor, message: FanoutMessage): Promise<void>;
  /** The after-commit half of `inTransaction`. */
  afterCommit(message: FanoutMessage): void;
  /** Sends `message` now, outside any transaction (after the change it announces committed). Never throws. */
  publish(message: FanoutMessage): void;
  /** Receives the messages of the other processes. Returns the unsubscribe function. */
  subscribe(listener: FanoutListener): () => void;
  /** Told when the connection came back after a loss: messages may have been missed meanwhile. */
  onResync(listener: () => void): () => void;
  /** Starts listening (idempotent). */
  start(log?: FastifyBaseLogger): Promise<void>;
  close(): Promise<void>;
}

abstract class BaseFanout implements Fanout {
  abstract readonly mode: 'local' | 'postgres' | 'redis';
  readonly node = randomBytes(8).toString('hex');
  protected log?: FastifyBaseLogger;
  protected closed = false;
  private started = false;
  private readonly listeners = new Set<FanoutListener>();
  private readonly resyncListeners = new Set<() => void>();

  async inTransaction(_trx: Executor, _message: FanoutMessage): Promise<void> {}
  afterCommit(_message: FanoutMessage): void {}
  publish(_message: FanoutMessage): void {}

  subscribe(listener: FanoutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** A payload arrived: decoded, dropped when it is this process's own or malformed, else handed out. */
  protected received(payload: string | undefined) {
    const message = decodeMessage(payload);
    if (!message || message.node === this.node) return;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (e) {
        this.log?.warn({ err: e }, 'fan-out: a listener failed');
      }
    }
  }

  protected resynced() {
    for (const listener of this.resyncListeners) {
      try {
        listener();
      } catch (e) {
        this.log?.warn({ err: e }, 'fan-out: a resync listener failed');
      }
    }
  }

  protected encode(message: FanoutMessage): string {
    return encodeMessage({ ...message, node: this.node });
  }

  protected abstract listen(): Promise<void>;
  protected abstract stop(): Promise<void>;

  async start(log?: FastifyBaseLogger) {
    if (this.started || this.closed) return;
    this.started = true;
    this.log = log;
    await this.listen();
  }

  async close() {
    this.closed = true;
    if (this.started) await this.stop();
  }
}

/** One process: nothing to send, nothing to hear. */
export class LocalFanout extends BaseFanout {
  readonly mode = 'local' as const;
  protected async listen() {}
  protected async stop() {}
}

/** LISTEN/NOTIFY on PostgreSQL. */
export class PgNotifyFanout extends BaseFanout {
  readonly mode = 'postgres' as const;
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;
  private readonly queue: string[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly connectionString: string,
  ) {
    super();
  }

  override async inTransaction(trx: Executor, message: FanoutMessage) {
    await sql`SELECT pg_notify(${PG_CHANNEL}, ${this.encode(message)})`.execute(trx);
  }

  /**
   * NOTIFYs on a pool connection. Messages are sent in the order they were published (one statement at a time;
   * what is published meanwhile goes out together in the next statement, in order).
   */
  override publish(message: FanoutMessage) {
    if (this.closed) return;
    this.queue.push(this.encode(message));
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
  }

  private async flush() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 100);
      const notifies = batch.map((payload) => sql`pg_notify(${PG_CHANNEL}, ${payload})`);
      try {
        await sql`SELECT ${sql.join(notifies)}`.execute(this.db);
      } catch (e) {
        this.log?.warn({ err: e }, 'fan-out: NOTIFY failed (other processes miss these messages)');
      }
    }
  }

  protected async listen(reconnect = false): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    client.on('notification', (m) => {
      if (m.channel === PG_CHANNEL) this.received(m.payload);
    });
    client.on('error', (e) => {
      this.log?.warn({ err: e }, 'fan-out: LISTEN connection lost, reconnecting');
      this.reconnectSoon();
    });
    client.on('end', () => this.reconnectSoon());
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      if (!reconnect) throw e;
      this.log?.warn({ err: e }, 'fan-out: cannot LISTEN yet, retrying');
      this.reconnectSoon();
      return;
    }
    this.client = client;
    if (reconnect) this.resynced(); // messages may have been missed while away
  }

  private reconnectSoon() {
    if (this.closed || this.retry) return;
    const old = this.client;
    this.client = undefined;
    if (old) {
      old.removeAllListeners('end');
      void old.end().catch(() => {});
    }
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) void this.listen(true);
    }, 500);
    this.retry.unref();
  }

  protected async stop() {
    if (this.retry) clearTimeout(this.retry);
    await this.flushing; // what this process published goes out before the pool closes
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

/** Redis pub/sub (REDIS_URL). */
export class RedisFanout extends BaseFanout {
  readonly mode = 'redis' as const;
  private pub?: Redis;
  private sub?: Redis;

  constructor(private readonly url: string) {
    super();
  }

  override afterCommit(message: FanoutMessage) {
    this.publish(message);
  }

  override publish(message: FanoutMessage) {
    if (this.closed || !this.pub) return;
    this.pub.publish(REDIS_CHANNEL, this.encode(message)).catch((e: unknown) => {
      this.log?.warn({ err: e }, 'fan-out: PUBLISH failed (other processes miss this message)');
    });
  }

  protected async listen() {
    const { Redis } = await import('ioredis'); // loaded only when configured (startup time)
    this.pub = new Redis(this.url, { maxRetriesPerRequest: 1 });
    this.sub = new Redis(this.url);
    for (const c of [this.pub, this.sub])
      c.on('error', (e: Error) => this.log?.warn({ err: e }, 'fan-out: Redis error'));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === REDIS_CHANNEL) this.received(message);
    });
    let first = true;
    this.sub.on('ready', () => {
      if (!first) this.resynced(); // reconnected: messages may have been missed
      first = false;
    });
    // Wait up to 2 s for the subscription; without Redis the process starts anyway (the catalog recheck catches up).
    const subscribed = this.sub.subscribe(REDIS_CHANNEL).catch((e: unknown) => {
      this.log?.warn({ err: e }, 'fan-out: SUBSCRIBE failed');
    });
    await Promise.race([subscribed, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  protected async stop() {
    this.pub?.disconnect();
    this.sub?.disconnect();
  }
}

/** The fan-out of this configuration: Redis when REDIS_URL is set, else NOTIFY on PostgreSQL, else none. */
export function createFanout(
  config: { redisUrl?: string; databaseUrl?: string },
  engine: 'postgres' | 'pglite',
  db: Kysely<DB>,
): Fanout {
  if (config.redisUrl) return new RedisFanout(config.redisUrl);
  if (engine === 'postgres' && config.databaseUrl) return new PgNotifyFanout(db, config.databaseUrl);
  return new LocalFanout();
}
