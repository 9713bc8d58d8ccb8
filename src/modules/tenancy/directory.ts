/**
 * The project directory (issue 14 §4): the one owner, in memory, of what authenticates a request — a project's
 * identity (id, merchant, name), its JWT secret or JWKS URL, the hashes of the API keys that open it (its own and
 * its merchant's merchant-wide keys), and the merchant-wide keys of a merchant. Every auth kind (user JWT, payment
 * token, basic admin, merchant; http/auth.ts) and the tenancy service resolve projects only here, so auth never
 * touches the catalog and costs the same for a project of 10 items or 100k.
 *
 * One cache: an `lru-cache` with a byte budget (entries sized by their strings), so one merchant with many keys
 * cannot flush the others. An entry is held at the project's (or merchant's) `identity_version` (migration 0016),
 * which every write to those fields bumps in its transaction (TenancyService). The writing process drops its
 * entry at once (`changed`); the others drop theirs on the `identity` message of the deployment's one fan-out
 * (src/fanout, the channel catalog versions use), every entry when the fan-out resynchronises, and — a backstop
 * against a message lost between commit and send — every entry after `ttlMs` (60 s by default).
 * Unknown projects are not cached (a project created by another process is seen on the next request).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DB, Executor } from '../../db/types.js';
import type { Fanout } from '../../fanout/fanout.js';
import type { IdentityVersionMessage } from '../../fanout/messages.js';
import { tenancyRepository as repo } from './repository.js';

/** A project's public identity (what the catalog and the pay station may show). */
export interface ProjectInfo {
  project_id: number;
  merchant_id: number;
  name: string;
}

/** A project as auth needs it: its identity plus how its user tokens are verified, at one identity_version. */
export interface ProjectRecord extends ProjectInfo {
  /** HS256 secret of the project's user JWTs (used when `jwks_url` is null). */
  jwt_secret: string;
  /** JWKS URL whose keys verify the project's user JWTs, or null for HS256. */
  jwks_url: string | null;
  /** The project's identity_version this record was read at. */
  identity_version: number;
}

/** A change to announce: the project's (or, without projectId, the merchant's) identity_version became `version`. */
export type IdentityChange = Omit<IdentityVersionMessage, 'type' | 'node'>;

interface ProjectEntry {
  kind: 'project';
  project: ProjectRecord;
  /** SHA-256 hex of the live keys opening the project (its own and its merchant's merchant-wide keys). */
  keyHashes: string[];
}

interface MerchantEntry {
  kind: 'merchant';
  merchantId: number;
  version: number;
  /** SHA-256 hex of the merchant's live merchant-wide keys. */
  keyHashes: string[];
}

type Entry = ProjectEntry | MerchantEntry;

export interface ProjectDirectoryOptions {
  /** Byte budget of the cache (default 16 MiB). */
  maxBytes?: number;
  /** Backstop lifetime of an entry, ms (default 60 000). */
  ttlMs?: number;
}

/** SHA-256 hex of an API key, as stored in `api_keys.key_hash`. */
export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** True when `key` hashes to one of `hashes`, compared in constant time (DESIGN §6); every hash is compared. */
function matchesAny(key: string, hashes: string[]): boolean {
  const candidate = Buffer.from(keyHash(key), 'hex');
  let ok = false;
  for (const h of hashes) {
    const stored = Buffer.from(h, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) ok = true;
  }
  return ok;
}

/** Approximate bytes an entry holds (strings counted as UTF-16, plus a fixed overhead). */
function sizeOf(entry: Entry): number {
  let n = 200 + entry.keyHashes.length * 150;
  if (entry.kind === 'project')
    n +=
      2 *
      (entry.project.name.length + entry.project.jwt_secret.length + (entry.project.jwks_url?.length ?? 0));
  return n;
}

const projectKey = (projectId: number) => `p:${projectId}`;
const merchantKey = (merchantId: number) => `m:${merchantId}`;

export class ProjectDirectory {
  private readonly cache: LRUCache<string, Entry>;
  /** Bumped by every invalidation: a load that started before one is returned but not kept. */
  private generation = 0;
  /** Database loads of project and merchant entries (a cold request costs one; tests and metrics read it). */
  readonly loads = { projects: 0, merchants: 0 };

  /**
   * @param db the database the projects, merchants and api_keys tables live in
   * @param fanout the deployment's fan-out: `identity` messages of other processes drop entries; absent for a
   *   directory used outside a running app (CLI, tests), which then announces nothing
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly fanout?: Fanout,
    options: ProjectDirectoryOptions = {},
  ) {
    this.cache = new LRUCache<string, Entry>({
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      sizeCalculation: sizeOf,
      ttl: options.ttlMs ?? 60_000,
    });
    fanout?.subscribe((m) => {
      if (m.type === 'identity') this.changed(m);
    });
    fanout?.onResync(() => this.invalidateAll());
  }

  /** The project (from memory once loaded), or undefined for an unknown project. */
  async project(projectId: number): Promise<ProjectRecord | undefined> {
    return (await this.projectEntry(projectId))?.project;
  }

  /** True when `key` opens `projectId`: one of its own live keys or a live merchant-wide key of its merchant. */
  async verifyProjectKey(projectId: number, key: string): Promise<boolean> {
    const entry = await this.projectEntry(projectId);
    return entry !== undefined && matchesAny(key, entry.keyHashes);
  }

  /** True when `key` is a live merchant-wide key of `merchantId`. */
  async verifyMerchantKey(merchantId: number, key: string): Promise<boolean> {
    const entry = await this.merchantEntry(merchantId);
    return entry !== undefined && matchesAny(key, entry.keyHashes);
  }

  /**
   * Drops what `change` makes stale: the project's entry when held at an older identity_version; for a merchant
   * change, the merchant's entry and every project entry of that merchant (their key lists hold its keys).
   */
  changed(change: IdentityChange): void {
    this.generation += 1;
    if (change.projectId !== undefined) {
      const held = this.cache.peek(projectKey(change.projectId));
      if (held?.kind === 'project' && held.project.identity_version < change.version)
        this.cache.delete(projectKey(change.projectId));
      return;
    }
    const held = this.cache.peek(merchantKey(change.merchantId));
    if (held?.kind === 'merchant' && held.version < change.version)
      this.cache.delete(merchantKey(change.merchantId));
    const stale = [...this.cache.entries()].filter(
      ([, entry]) => entry.kind === 'project' && entry.project.merchant_id === change.merchantId,
    );
    for (const [key] of stale) this.cache.delete(key); // collected first: no deletes while iterating
  }

  /** Drops every entry (the fan-out reconnected: messages may have been missed). */
  invalidateAll(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Sends `change` from inside the write's transaction (NOTIFY on PostgreSQL; see Fanout.inTransaction). */
  async announceInTransaction(trx: Executor, change: IdentityChange): Promise<void> {
    await this.fanout?.inTransaction(trx, { type: 'identity', ...change });
  }

  /** After the write committed: drops this process's stale entry and sends `change` where sent after commit. */
  afterCommit(change: IdentityChange): void {
    this.changed(change);
    this.fanout?.afterCommit({ type: 'identity', ...change });
  }

  /** Bytes held and entries (for metrics and tests). */
  get stats() {
    return { bytes: this.cache.calculatedSize, entries: this.cache.size };
  }

  private async projectEntry(projectId: number): Promise<ProjectEntry | undefined> {
    const hit = this.cache.get(projectKey(projectId));
    if (hit?.kind === 'project') return hit;
    const generation = this.generation;
    this.loads.projects += 1;
    const row = await repo.findProject(this.db, projectId);
    if (!row) return undefined;
    const entry: ProjectEntry = {
      kind: 'project',
      project: {
        project_id: row.project_id,
        merchant_id: row.merchant_id,
        name: row.name,
        jwt_secret: row.jwt_secret,
        jwks_url: row.jwks_url,
        identity_version: Number(row.identity_version),
      },
      keyHashes: await repo.projectKeyHashes(this.db, projectId),
    };
    if (generation === this.generation) this.cache.set(projectKey(projectId), entry);
    return entry;
  }

  private async merchantEntry(merchantId: number): Promise<MerchantEntry | undefined> {
    const hit = this.cache.get(merchantKey(merchantId));
    if (hit?.kind === 'merchant') return hit;
    const generation = this.generation;
    this.loads.merchants += 1;
    const version = await repo.merchantIdentityVersion(this.db, merchantId);
    if (version === undefined) return undefined;
    const entry: MerchantEntry = {
      kind: 'merchant',
      merchantId,
      version,
      keyHashes: await repo.merchantKeyHashes(this.db, merchantId),
    };
    if (generation === this.generation) this.cache.set(merchantKey(merchantId), entry);
    return entry;
  }
}
