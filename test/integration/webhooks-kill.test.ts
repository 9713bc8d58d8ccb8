/**
 * A crash resends only the webhooks that were in flight (issue 13 §6): a process delivering a backlog of order_paid
 * events to a slow receiver is killed with SIGKILL in the middle of it, and another process finishes the job.
 * Every event arrives (at least once), and the events that arrive twice are at most the deliveries the killed
 * process had in flight — rows it had claimed (its lease running) when it died — and so at most its
 * WEBHOOK_CONCURRENCY. Before, the worker claimed 10 rows at a time and a kill resent the whole batch.
 *
 * The receiver holds every answer 300 ms, so deliveries really are in flight when the kill comes. On PGlite the
 * database is the child's data directory alone and the test ends the dead process's leases itself (as time would);
 * on a shared PostgreSQL the workers of other test processes may pick rows up too, and the leases run out on their
 * own (2 × WEBHOOK_TIMEOUT_MS + 10 s). The numbers of each round are printed (docs/reliability.md).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Database } from '../../src/db/index.js';
import { testApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { waitFor, WebhookReceiver } from './webhooks-helpers.js';

const SECRET = 'kill-secret';
const CONCURRENCY = 2;
const EVENTS = 40;
const ROUNDS = testEngine === 'pglite' ? 3 : 2;
const HOLD_MS = 300;
const FAST: Partial<Config> = { webhookRetrySchedule: '2x100ms', webhookPollIntervalMs: 50 };

let dataDir: string | undefined;
beforeAll(() => {
  if (testEngine === 'pglite') dataDir = mkdtempSync(join(tmpdir(), 'itemshop-webhook-load-'));
});
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

/**
 * Starts the child, waits until it has committed every event and `more` further webhooks arrived after that (so
 * deliveries are on their way), kills it; returns its project.
 */
async function killMidDelivery(r: WebhookReceiver, more: number): Promise<number> {
  const env = {
    ...process.env,
    RECEIVER_URL: r.url,
    WEBHOOK_SECRET: SECRET,
    CHILD_EVENTS: String(EVENTS),
    WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    WEBHOOK_TIMEOUT_MS: '1000',
    ...(dataDir
      ? { CHILD_DATA_DIR: join(dataDir, 'data') }
      : { CHILD_DATABASE_URL: process.env.TEST_DATABASE_URL }),
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./webhooks-load-child.ts', import.meta.url))],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
  try {
    await waitFor(`the child's events (${err})`, () => out.includes('\n'), 120_000, 5);
    const before = r.received.length;
    await waitFor('deliveries after the last commit', () => r.received.length >= before + more, 60_000, 5);
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited, err).toBe('SIGKILL');
  expect(r.received.length, 'the kill came after every delivery').toBeLessThan(EVENTS);
  return (JSON.parse(out.trim()) as { projectId: number }).projectId;
}

/** The next process on the same database (worker on, not started yet). */
async function nextProcess(): Promise<{ app: FastifyInstance; database?: Database }> {
  if (!dataDir) return { app: await testApp(FAST) };
  const config = loadConfig({}, { ...FAST, dataDir: join(dataDir, 'data'), logLevel: 'silent' });
  const database = await createDb(config);
  return { app: await buildApp(config, { database }), database };
}

describe('kill -9 while webhooks are being delivered', () => {
  it(`resends at most the deliveries in flight (≤ WEBHOOK_CONCURRENCY = ${CONCURRENCY}) and loses none`, async () => {
    const rounds: { received: number; events: number; duplicates: number; inFlight: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await WebhookReceiver.start(() => ({ status: 204, delayMs: HOLD_MS }));
      try {
        const projectId = await killMidDelivery(r, 1 + round);
        const { app, database } = await nextProcess();
        try {
          const { db } = app.services.database;
          const inFlight = Number(
            (
              await db
                .selectFrom('webhook_outbox')
                .select(sql<number>`count(*)::int`.as('n'))
                .where('project_id', '=', projectId)
                .where('status', '=', 'pending')
                .where('claim_token', 'is not', null)
                .executeTakeFirstOrThrow()
            ).n,
          );
          // the dead process's leases end (PGlite: now, as time would; PostgreSQL: on their own)
          if (dataDir)
            await db
              .updateTable('webhook_outbox')
              .set({ next_attempt_at: sql<Date>`clock_timestamp()` })
              .where('project_id', '=', projectId)
              .where('claim_token', 'is not', null)
              .execute();
          await app.ready();
          await waitFor(
            'every event delivered',
            async () => {
              const rows = await db
                .selectFrom('webhook_outbox')
                .select('status')
                .where('project_id', '=', projectId)
                .execute();
              return rows.length === EVENTS && rows.every((x) => x.status === 'delivered');
            },
            90_000,
            50,
          );
          const ids = r.received.map((w) => w.body.order.id);
          const distinct = new Set(ids).size;
          expect(distinct).toBe(EVENTS); // none lost
          expect(r.received.every((w) => WebhookReceiver.signed(w, SECRET))).toBe(true);
          rounds.push({
            received: ids.length,
            events: distinct,
            duplicates: ids.length - distinct,
            inFlight,
          });
        } finally {
          await app.close();
          await database?.close();
        }
      } finally {
        await r.close();
      }
    }
    console.info(
      `webhooks kill (${testEngine}, WEBHOOK_CONCURRENCY=${CONCURRENCY}): ` +
        rounds
          .map((x, i) => `round ${i + 1}: ${x.duplicates} duplicate(s), ${x.inFlight} in flight at the kill`)
          .join('; '),
    );
    for (const x of rounds) {
      expect(x.duplicates).toBeLessThanOrEqual(x.inFlight);
      expect(x.duplicates).toBeLessThanOrEqual(CONCURRENCY);
    }
  }, 400_000);
});
