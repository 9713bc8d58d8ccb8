/**
 * The game-key sale of issue 13 §1 against `itemshop serve --workers 2` on PostgreSQL (two processes share the
 * pool): 400 buyers, 300 codes → exactly 300 orders accepted and 100 refused at creation (422/1411), every accepted
 * order paid through the server-side mark-paid and delivered a distinct code, and an unpaid order that expires
 * gives its code to the next buyer. Requests go over fresh connections so both workers serve them.
 * (The in-process variant on both engines: test/concurrency/game-keys-reserve.test.ts.)
 *
 * Needs TEST_DATABASE_URL (skipped without it).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/db.js';
import {
  call,
  newProject,
  serve,
  stop,
  userToken,
  type Answer,
  type Proc,
  type Project,
} from './serve-helpers.js';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('multiprocess: TEST_DATABASE_URL is not set — the --workers 2 key sale is skipped');

const CODES = 300;
const BUYERS = 400;

async function pool<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane));
  return out;
}

const tally = (answers: Answer[]) => {
  const m = new Map<string, number>();
  for (const a of answers) {
    const k = a.status === 422 ? `422/${a.json().errorCode}` : String(a.status);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return Object.fromEntries(m);
};

describe.skipIf(!PG_URL)('serve --workers 2: 400 buyers, 300 codes', () => {
  let server: Proc | undefined;
  let p: Project;
  beforeAll(async () => {
    server = await serve({ RATE_LIMIT_CLIENT_MAX: '0', RATE_LIMIT_ADMIN_MAX: '0', WEBHOOK_WORKER: 'false' }, [
      '--workers',
      '2',
    ]);
    p = await newProject();
  }, 120_000);
  afterAll(async () => stop(server));

  it('accepts 300, refuses 100 at creation, delivers 300 distinct codes; expiry frees a code', async () => {
    const api = `${server!.base}/api/v2/project/${p.projectId}`;
    const admin = { authorization: p.auth };
    const game = await call('POST', `${api}/admin/items/game`, admin, {
      sku: 'mp_sale',
      name: { en: 'Sale' },
      unit_items: [
        {
          sku: 'mp_sale_steam',
          drm_sku: 'steam_key_1',
          prices: [{ amount: 5, currency: 'USD', is_default: true }],
        },
      ],
    });
    expect(game.status, game.body).toBe(201);
    const codes = Array.from({ length: CODES }, (_, i) => `MP-${p.projectId}-${i}`);
    const form = new FormData();
    form.append('file', new Blob([codes.join('\n')], { type: 'text/plain' }), 'keys.txt');
    const up = await fetch(`${api}/admin/items/game/key/upload/sku/mp_sale_steam`, {
      method: 'POST',
      headers: admin,
      body: form,
    });
    expect(up.status, await up.clone().text()).toBe(200);

    const users = Array.from({ length: BUYERS }, (_, i) => `mp-buyer-${i}`);
    const tokens = new Map<string, string>();
    for (const u of users) tokens.set(u, await userToken(p, u));
    const buy = (u: string) =>
      call('POST', `${api}/payment/item/mp_sale_steam`, { authorization: `Bearer ${tokens.get(u)}` }, {});
    const results = await pool(
      40,
      users.map((u) => () => buy(u)),
    );
    expect(tally(results)).toEqual({ '200': CODES, '422/1411': BUYERS - CODES });
    const accepted = results.flatMap((r, i) =>
      r.status === 200 ? [{ userId: users[i], orderId: r.json().order_id as number }] : [],
    );
    const refused = users.filter((_, i) => results[i].status !== 200);

    // an unpaid order expires (its expiry moved into the past): its code goes to the next buyer
    const { db } = await testDatabase();
    const late = accepted.shift()!;
    await db
      .updateTable('orders')
      .set({ expires_at: sql<Date>`clock_timestamp() - interval '1 second'` })
      .where('order_id', '=', late.orderId)
      .execute();
    const expired = await call('GET', `${api}/order/${late.orderId}`, {
      authorization: `Bearer ${tokens.get(late.userId)}`,
    });
    expect(expired.json().status).toBe('expired');
    const next = await buy(refused[0]);
    expect(next.status, next.body).toBe(200);
    accepted.push({ userId: refused[0], orderId: next.json().order_id });

    const paid = await pool(
      20,
      accepted.map(
        (a) => () =>
          call(
            'POST',
            `${server!.base}/api/itemshop/v1/project/${p.projectId}/admin/order/${a.orderId}/paid`,
            admin,
            {},
          ),
      ),
    );
    expect(tally(paid)).toEqual({ '200': CODES });
    expect(paid.filter((r) => r.json().undelivered.length > 0)).toEqual([]);

    const delivered = await db
      .selectFrom('inventory_grants')
      .select(['order_id', 'user_id', 'code'])
      .where('project_id', '=', p.projectId)
      .where('kind', '=', 'game_code')
      .execute();
    expect(delivered).toHaveLength(CODES);
    expect(delivered.map((d) => d.code).sort()).toEqual([...codes].sort());
    expect(new Map(delivered.map((d) => [d.order_id, d.user_id]))).toEqual(
      new Map(accepted.map((a) => [a.orderId, a.userId])),
    );
    const left = await db
      .selectFrom('game_codes')
      .select(sql<number>`count(*) FILTER (WHERE reserved OR claimed_at IS NULL)::int`.as('n'))
      .where('project_id', '=', p.projectId)
      .executeTakeFirstOrThrow();
    expect(left.n).toBe(0);
  }, 300_000);
});
