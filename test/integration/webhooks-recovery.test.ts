/**
 * The outbox never loses an acknowledged event and never sends one twice at once (DESIGN §5, §9): an event
 * committed by a process killed with SIGKILL before it could send is sent by the next process; a row claimed by
 * a process that died is sent again when its lease ends; two workers on one database send each event once; closing
 * the app flushes what it committed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb } from '../../src/db/index.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { commitOrderEvent, insertOrder, outboxOf, waitFor, WebhookReceiver } from './webhooks-helpers.js';

const SECRET = 'recovery-secret';
const FAST: Partial<Config> = { webhookRetrySchedule: '2x100ms', webhookPollIntervalMs: 50 };

const receivers: WebhookReceiver[] = [];
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer?: Parameters<typeof WebhookReceiver.start>[0]) {
  const r = await WebhookReceiver.start(answer);
  receivers.push(r);
  return r;
}
async function app(overrides: Partial<Config> = {}) {
  const a = await testApp({ ...FAST, ...overrides });
  apps.push(a);
  await a.ready();
  return a;
}
async function tenantFor(a: FastifyInstance, url: string): Promise<Tenant> {
  const t = await createTenant(a);
  const res = await t.adminCall('PUT', '/admin/webhook', { url, secret: SECRET, is_enabled: true });
  expect(res.statusCode, res.body).toBe(204);
  return t;
}

describe('kill -9 between the commit and the send', () => {
  let dataDir: string | undefined;
  beforeAll(() => {
    if (testEngine === 'pglite') dataDir = mkdtempSync(join(tmpdir(), 'itemshop-webhook-kill-'));
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('leaves the event in the outbox, and the next process to start sends it', async () => {
    const r = await receiver(() => 204);
    const env = {
      ...process.env,
      RECEIVER_URL: r.url,
      WEBHOOK_SECRET: SECRET,
      ...(dataDir
        ? { CHILD_DATA_DIR: join(dataDir, 'data') }
        : { CHILD_DATABASE_URL: process.env.TEST_DATABASE_URL }),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./webhooks-kill-child.ts', import.meta.url))],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, s) => resolve(s)),
    );
    expect(signal, `child did not die by SIGKILL: ${err}`).toBe('SIGKILL');
    const { orderId } = JSON.parse(out.trim()) as { projectId: number; orderId: number };
    // Nothing was sent before the restart (on PGlite the database is the child's alone; on a shared PostgreSQL the
    // worker of another test process may already have sent it).
    if (dataDir) expect(r.received).toHaveLength(0);

    // The next process: same database, worker on.
    const database = dataDir
      ? await createDb(loadConfig({}, { dataDir: join(dataDir, 'data'), logLevel: 'silent' }))
      : undefined;
    const next = database
      ? await buildApp(loadConfig({}, { ...FAST, dataDir: join(dataDir!, 'data'), logLevel: 'silent' }), {
          database,
        })
      : await testApp(FAST);
    try {
      const rows = await outboxOf(next, orderId);
      // Still there after the kill. (On a shared PostgreSQL the worker of another test process may already have
      // sent it; either way it is sent exactly once.)
      expect(rows).toHaveLength(1);
      expect(rows[0].notification_type).toBe('order_paid');
      await next.ready();
      const [w] = await waitFor('the webhook after restart', () =>
        r.of(orderId).length ? r.of(orderId) : null,
      );
      expect(WebhookReceiver.signed(w, SECRET)).toBe(true);
      expect(w.body.user).toMatchObject({ external_id: 'killed-player' });
      await waitFor('delivered', async () => (await outboxOf(next, orderId))[0].status === 'delivered');
      expect(r.of(orderId)).toHaveLength(1);
    } finally {
      await next.close();
      await database?.close();
    }
  }, 180_000); // two processes start PGlite or connect; slow on a loaded machine
});

describe('claims', () => {
  it('a row claimed by a process that died is sent again when its lease ends', async () => {
    const writer = await app({ webhookWorker: false });
    const r = await receiver(() => 204);
    const t = await tenantFor(writer, r.url);
    const orderId = await insertOrder(writer, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(writer, 'order_paid', orderId);
    // What a claim does (repository.claimDue), by a process that then died: token set, lease running.
    await writer.services.database.db
      .updateTable('webhook_outbox')
      .set({
        claim_token: 'dead-process',
        next_attempt_at: sql<Date>`clock_timestamp() + interval '300 milliseconds'`,
      })
      .where('order_id', '=', orderId)
      .execute();
    await app();
    await waitFor('the re-sent webhook', () => r.of(orderId).length > 0);
    const row = await waitFor('delivered', async () => {
      const [x] = await outboxOf(writer, orderId);
      return x.status === 'delivered' ? x : undefined;
    });
    expect(row).toMatchObject({ attempts: 1, claim_token: null });
    expect(r.of(orderId)).toHaveLength(1);
  });

  it('two workers on one database send each event exactly once', async () => {
    const a1 = await app();
    const a2 = await app();
    const r = await receiver(() => 204);
    const t = await tenantFor(a1, r.url);
    const orderIds: number[] = [];
    for (let i = 0; i < 30; i++)
      orderIds.push(await insertOrder(a1, t.projectId, { lines: [{ sku: `s${i}` }] }));
    await Promise.all(orderIds.map((id, i) => commitOrderEvent(i % 2 ? a1 : a2, 'order_paid', id)));
    await waitFor('every event delivered', async () => {
      const rows = await a1.services.database.db
        .selectFrom('webhook_outbox')
        .select('status')
        .where('project_id', '=', t.projectId)
        .execute();
      return rows.length === 30 && rows.every((x) => x.status === 'delivered');
    });
    for (const id of orderIds) expect(r.of(id), `order ${id}`).toHaveLength(1);
    const attempts = await a1.services.database.db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_outbox as o', 'o.event_id', 'a.event_id')
      .select('a.attempt')
      .where('o.project_id', '=', t.projectId)
      .execute();
    expect(attempts).toHaveLength(30);
  });
});

describe('graceful close', () => {
  it('flushes what the process committed before it closes', async () => {
    const a = await testApp({ ...FAST, webhookPollIntervalMs: 60_000 });
    await a.ready();
    const r = await receiver(() => 204);
    const t = await tenantFor(a, r.url);
    const orderId = await insertOrder(a, t.projectId, { lines: [{ sku: 'sword' }] });
    await commitOrderEvent(a, 'order_paid', orderId);
    await a.close();
    expect(r.of(orderId)).toHaveLength(1);
    // the test database outlives the app (helpers/app.ts)
    const [row] = await outboxOf(a, orderId);
    expect(row.status).toBe('delivered');
  });
});
