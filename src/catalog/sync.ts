/**
 * Keeping the catalog snapshots of several processes on one PostgreSQL consistent (DESIGN §4, issue 7 item 5,
 * ADR 0012). Every catalog write bumps the project's `catalog_version` (CatalogWriter); the bump is broadcast and
 * every process drops its snapshot of that project, so its next read loads the new version:
 *
 * - PostgreSQL (`DATABASE_URL`): `NOTIFY itemshop_catalog, '<project_id>:<version>'` inside the write transaction
 *   (delivered at commit, never for a rolled-back write); each process LISTENs on a dedicated connection.
 * - Redis (`REDIS_URL` set): `PUBLISH itemshop:catalog '<project_id>:<version>'` after commit; each process
 *   subscribes. Used instead of NOTIFY when configured.
 * - PGlite: one process per data directory, nothing to broadcast (`LocalSync`).
 *
 * When the listening connection drops and comes back, notifications may have been missed: every snapshot is
 * dropped. As a backstop against a lost message (a process killed between commit and PUBLISH), each process also
 * compares the versions of the projects it holds with the database every CATALOG_SYNC_RECHECK_SECONDS (5 s).
 */
import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Redis } from 'ioredis';
import type { DB, Executor } from '../db/types.js';

/** NOTIFY channel / Redis channel of catalog_version bumps. */
export const PG_CHANNEL = 'itemshop_catalog';
export const REDIS_CHANNEL = 'itemshop:catalog';

/** What the sync drives: the local catalog store. */
export interface SnapshotHolder {
  /** Drops the project's snapshot unless it is already at `version` or newer. */
  invalidate(projectId: number, version?: number): void;
  /** Drops every snapshot. */
  invalidateAll(): void;
  /** project_id → catalog_version of every snapshot held. */
  loadedVersions(): Map<number, number>;
}

export interface CatalogSync {
  readonly mode: 'local' | 'postgres' | 'redis';
  /** Runs in the write transaction, after the version bump. */
  inTransaction(trx: Executor, projectId: number, version: number): Promise<void>;
  /** Runs after the write committed. */
  afterCommit(projectId: number, version: number): void;
  /** Starts listening (idempotent). */
  start(log?: FastifyBaseLogger): Promise<void>;
  close(): Promise<void>;
}

/** `"<project>:<version>"` → numbers, or null when malformed. */
export function parseBump(payload: string | undefined): { projectId: number; version: number } | null {
  const m = /^(\d+):(\d+)$/.exec(payload ?? '');
  return m ? { projectId: Number(m[1]), version: Number(m[2]) } : null;
}

/** One process: nothing to broadcast. */
export class LocalSync implements CatalogSync {
  readonly mode = 'local' as const;
  async inTransaction() {}
  afterCommit() {}
  async start() {}
  async close() {}
}

abstract class BroadcastSync implements CatalogSync {
  abstract readonly mode: 'postgres' | 'redis';
  protected log?: FastifyBaseLogger;
  protected closed = false;
  private started = false;
  private recheck?: NodeJS.Timeout;

  constructor(
    protected readonly db: Kysely<DB>,
    protected readonly store: SnapshotHolder,
    private readonly recheckMs = 5000,
  ) {}

  async inTransaction(_trx: Executor, _projectId: number, _version: number) {}
  afterCommit(_projectId: number, _version: number) {}

  protected received(payload: string | undefined) {
    const bump = parseBump(payload);
    if (bump) this.store.invalidate(bump.projectId, bump.version);
  }

  protected abstract listen(): Promise<void>;
  protected abstract stop(): Promise<void>;

  async start(log?: FastifyBaseLogger) {
    if (this.started) return;
    this.started = true;
    this.log = log;
    await this.listen();
    if (this.recheckMs > 0) {
      this.recheck = setInterval(() => void this.compareVersions(), this.recheckMs);
      this.recheck.unref();
    }
  }

  /** Backstop: drops snapshots older than the database's catalog_version. */
  private async compareVersions() {
    const held = this.store.loadedVersions();
    if (held.size === 0 || this.closed) return;
    try {
      const rows = await this.db
        .selectFrom('projects')
        .select(['project_id', 'catalog_version'])
        .where('project_id', '=', sql<number>`any(${[...held.keys()]})`)
        .execute();
      for (const r of rows) {
        const version = Number(r.catalog_version);
        if (version > (held.get(r.project_id) ?? Infinity)) this.store.invalidate(r.project_id, version);
      }
    } catch (e) {
      this.log?.warn({ err: e }, 'catalog sync: version check failed');
    }
  }

  async close() {
    this.closed = true;
    if (this.recheck) clearInterval(this.recheck);
    if (this.started) await this.stop();
  }
}

/** LISTEN/NOTIFY on PostgreSQL. */
export class PgNotifySync extends BroadcastSync {
  readonly mode = 'postgres' as const;
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;

  constructor(
    db: Kysely<DB>,
    store: SnapshotHolder,
    private readonly connectionString: string,
    recheckMs?: number,
  ) {
    super(db, store, recheckMs);
  }

  override async inTransaction(trx: Executor, projectId: number, version: number) {
    await sql`SELECT pg_notify(${PG_CHANNEL}, ${`${projectId}:${version}`})`.execute(trx);
  }

  protected async listen(reconnect = false): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    client.on('notification', (m) => {
      if (m.channel === PG_CHANNEL) this.received(m.payload);
    });
    client.on('error', (e) => {
      this.log?.warn({ err: e }, 'catalog sync: LISTEN connection lost, reconnecting');
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
      this.log?.warn({ err: e }, 'catalog sync: cannot LISTEN yet, retrying');
      this.reconnectSoon();
      return;
    }
    this.client = client;
    if (reconnect) this.store.invalidateAll(); // bumps may have been missed while away
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
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

/** Redis pub/sub (REDIS_URL). */
export class RedisSync extends BroadcastSync {
  readonly mode = 'redis' as const;
  private pub?: Redis;
  private sub?: Redis;

  constructor(
    db: Kysely<DB>,
    store: SnapshotHolder,
    private readonly url: string,
    recheckMs?: number,
  ) {
    super(db, store, recheckMs);
  }

  override afterCommit(projectId: number, version: number) {
    this.pub?.publish(REDIS_CHANNEL, `${projectId}:${version}`).catch((e: unknown) => {
      this.log?.warn({ err: e }, 'catalog sync: PUBLISH failed (other processes catch up within 5 s)');
    });
  }

  protected async listen() {
    const { Redis } = await import('ioredis'); // loaded only when configured (startup time)
    this.pub = new Redis(this.url, { maxRetriesPerRequest: 1 });
    this.sub = new Redis(this.url);
    for (const c of [this.pub, this.sub])
      c.on('error', (e: Error) => this.log?.warn({ err: e }, 'catalog sync: Redis error'));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === REDIS_CHANNEL) this.received(message);
    });
    let first = true;
    this.sub.on('ready', () => {
      if (!first) this.store.invalidateAll(); // reconnected: bumps may have been missed
      first = false;
    });
    // Wait up to 2 s for the subscription; without Redis the process starts anyway (the recheck catches up).
    const subscribed = this.sub.subscribe(REDIS_CHANNEL).catch((e: unknown) => {
      this.log?.warn({ err: e }, 'catalog sync: SUBSCRIBE failed');
    });
    await Promise.race([subscribed, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  protected async stop() {
    this.pub?.disconnect();
    this.sub?.disconnect();
  }
}

/** The sync for this configuration: Redis when REDIS_URL is set, else NOTIFY on PostgreSQL, else none. */
export function createCatalogSync(
  config: { redisUrl?: string; databaseUrl?: string; catalogSyncRecheckSeconds?: number },
  engine: 'postgres' | 'pglite',
  db: Kysely<DB>,
  store: SnapshotHolder,
): CatalogSync {
  const recheckMs = (config.catalogSyncRecheckSeconds ?? 5) * 1000;
  if (config.redisUrl) return new RedisSync(db, store, config.redisUrl, recheckMs);
  if (engine === 'postgres' && config.databaseUrl)
    return new PgNotifySync(db, store, config.databaseUrl, recheckMs);
  return new LocalSync();
}
