/**
 * The project directory across processes (issue 14 §4): two real servers on one PostgreSQL have each cached a
 * project (its keys and JWT secret) from an authenticated request; a key replaced and a secret rotated by another
 * process (the tenancy path the CLI uses, announcing on the fan-out with NOTIFY in the write's transaction) are
 * refused by both servers well before the directory's 60-second backstop expiry.
 *
 * Needs TEST_DATABASE_URL (skipped without it).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanout } from '../../src/fanout/fanout.js';
import { ProjectDirectory } from '../../src/modules/tenancy/directory.js';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { basic } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';
import { PG_URL, serve, stop, type Proc } from '../helpers/serve.js';

/** Status of GET `path` of `projectId` on `p` with `authorization`. */
async function statusOf(p: Proc, projectId: number, path: string, authorization: string): Promise<number> {
  const res = await fetch(`${p.base}/api/v2/project/${projectId}${path}`, { headers: { authorization } });
  await res.text();
  return res.status;
}

/** Polls until `p` answers `status`; fails after 10 s (the directory's backstop expiry is 60 s). */
async function until(p: Proc, projectId: number, path: string, authorization: string, status: number) {
  const started = performance.now();
  while (performance.now() - started < 10_000) {
    if ((await statusOf(p, projectId, path, authorization)) === status) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${p.base} never answered ${status}`);
}

describe.skipIf(!PG_URL)('identity changes reach every server process (LISTEN/NOTIFY)', () => {
  let a: Proc | undefined;
  let b: Proc | undefined;
  beforeAll(async () => {
    [a, b] = await Promise.all([serve({}), serve({})]);
  });
  afterAll(async () => Promise.all([stop(a), stop(b)]));

  it('a replaced API key and a rotated JWT secret are refused by both servers', async () => {
    const db = (await testDatabase()).db;
    const fanout = createFanout({ databaseUrl: PG_URL }, 'postgres', db); // NOTIFY needs no LISTEN connection
    const tenancy = new TenancyService(db, new ProjectDirectory(db, fanout));
    const tag = randomBytes(4).toString('hex');
    const merchantId = await tenancy.createMerchant(`mp-dir-${tag}`);
    const projectId = await tenancy.createProject(merchantId, `mp-dir-${tag}`);
    const key = await tenancy.createApiKey(merchantId, projectId, 'mp');
    const token = await tenancy.mintUserToken((await tenancy.getProject(projectId))!, 'mp-user');
    const admin = '/admin/items/virtual_items';
    const user = '/user/inventory/items';
    for (const p of [a!, b!]) {
      expect(await statusOf(p, projectId, admin, basic(projectId, key))).toBe(200); // cached in each
      expect(await statusOf(p, projectId, user, `Bearer ${token}`)).toBe(200);
    }

    const replaced = await tenancy.replaceApiKey(merchantId, projectId, 'mp');
    for (const p of [a!, b!]) {
      await until(p, projectId, admin, basic(projectId, key), 401);
      expect(await statusOf(p, projectId, admin, basic(projectId, replaced))).toBe(200);
    }

    await tenancy.rotateJwtSecret(projectId);
    const fresh = await tenancy.mintUserToken((await tenancy.getProject(projectId))!, 'mp-user');
    for (const p of [a!, b!]) {
      await until(p, projectId, user, `Bearer ${token}`, 401);
      expect(await statusOf(p, projectId, user, `Bearer ${fresh}`)).toBe(200);
    }
    await fanout.close();
  });
});
