/**
 * Keeping the catalog snapshots of several processes on one PostgreSQL consistent (DESIGN §4, issue 7 item 5,
 * ADR 0015). Every catalog write bumps the project's `catalog_version` (CatalogWriter); the bump goes out on the
 * deployment's one fan-out (src/fanout: NOTIFY in the write transaction on PostgreSQL, PUBLISH after commit with
 * Redis, nothing on PGlite) as a `catalog` message, and every other process drops its snapshot of that project,
 * so its next read loads the new version.
 *
 * When the fan-out's connection drops and comes back, bumps may have been missed: every snapshot is dropped. As a
 * backstop against a lost message (a process killed between commit and PUBLISH), each process also compares the
 * versions of the projects it holds with the database every CATALOG_SYNC_RECHECK_SECONDS (5 s) — only when the
 * fan-out connects processes (not on PGlite).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../db/types.js';
import type { Fanout } from '../fanout/fanout.js';
import type { CatalogSource } from './source.js';

/** What the sync drives: the local catalog store. */
export interface SnapshotHolder {
  /** Drops the project's snapshot unless it is already at `version` or newer. */
  invalidate(projectId: number, version?: number): void;
  /** Drops every snapshot. */
  invalidateAll(): void;
  /** project_id → catalog_version of every snapshot held. */
  loadedVersions(): Map<number, number>;
}

export class CatalogSync {
  private log?: FastifyBaseLogger;
  private closed = false;
  private started = false;
  private recheck?: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];

  /** @param recheckMs backstop comparison of held versions with the database, ms (0 = never) */
  constructor(
    private readonly fanout: Fanout,
    private readonly source: Pick<CatalogSource, 'versions'>,
    private readonly store: SnapshotHolder,
    private readonly recheckMs = 5000,
  ) {}

  /** How the bumps travel (the fan-out's mode). */
  get mode(): Fanout['mode'] {
    return this.fanout.mode;
  }

  /** Runs in the write transaction, after the version bump. */
  inTransaction(trx: Executor, projectId: number, version: number): Promise<void> {
    return this.fanout.inTransaction(trx, { type: 'catalog', projectId, version });
  }

  /** Runs after the write committed. */
  afterCommit(projectId: number, version: number): void {
    this.fanout.afterCommit({ type: 'catalog', projectId, version });
  }

  /** Starts listening to the fan-out's catalog messages (idempotent; the fan-out is started by the app). */
  async start(log?: FastifyBaseLogger): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.log = log;
    this.unsubscribe.push(
      this.fanout.subscribe((m) => {
        if (m.type === 'catalog') this.store.invalidate(m.projectId, m.version);
      }),
      this.fanout.onResync(() => this.store.invalidateAll()),
    );
    if (this.fanout.mode !== 'local' && this.recheckMs > 0) {
      this.recheck = setInterval(() => void this.compareVersions(), this.recheckMs);
      this.recheck.unref();
    }
  }

  /** Backstop: drops snapshots older than the database's catalog_version. */
  private async compareVersions() {
    const held = this.store.loadedVersions();
    if (held.size === 0 || this.closed) return;
    try {
      const versions = await this.source.versions([...held.keys()]);
      for (const [projectId, version] of versions) {
        if (version > (held.get(projectId) ?? Infinity)) this.store.invalidate(projectId, version);
      }
    } catch (e) {
      this.log?.warn({ err: e }, 'catalog sync: version check failed');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.recheck) clearInterval(this.recheck);
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
