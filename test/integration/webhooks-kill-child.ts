/**
 * Child process of webhooks-recovery.test.ts (not a test): builds the app on the database the parent names, sets
 * the project's webhook, commits an order_paid event and kills itself with SIGKILL right after the commit —
 * before any after-commit hook could wake a worker (and with the worker off). Prints `{projectId, orderId}`.
 *
 * Env: CHILD_DATABASE_URL (PostgreSQL) or CHILD_DATA_DIR (PGlite directory); RECEIVER_URL; WEBHOOK_SECRET.
 */
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { WriteContext } from '../../src/db/unit-of-work.js';
import { basic } from '../helpers/app.js';
import { insertOrder } from './webhooks-helpers.js';

const config = loadConfig(
  {},
  {
    ...(process.env.CHILD_DATABASE_URL
      ? { databaseUrl: process.env.CHILD_DATABASE_URL }
      : { dataDir: process.env.CHILD_DATA_DIR }),
    logLevel: 'silent',
    webhookWorker: false,
  },
);
const app = await buildApp(config);
await app.ready();
const { tenancy } = app.services;
const merchantId = await tenancy.createMerchant(`kill-child-${process.pid}`);
const projectId = await tenancy.createProject(merchantId, `kill-child-${process.pid}`);
const apiKey = await tenancy.createApiKey(merchantId, projectId, 'child');
const put = await app.inject({
  method: 'PUT',
  url: `/api/v2/project/${projectId}/admin/webhook`,
  headers: { authorization: basic(projectId, apiKey) },
  payload: { url: process.env.RECEIVER_URL, secret: process.env.WEBHOOK_SECRET, is_enabled: true },
});
if (put.statusCode !== 204) throw new Error(`update-webhook answered ${put.statusCode}: ${put.body}`);
const orderId = await insertOrder(app, projectId, { userId: 'killed-player', lines: [{ sku: 'sword' }] });
const hooks: (() => void | Promise<void>)[] = [];
await app.services.database.db.transaction().execute(async (trx) => {
  const ctx: WriteContext = { trx, afterCommit: (fn) => hooks.push(fn) };
  await trx.updateTable('orders').set({ status: 'paid' }).where('order_id', '=', orderId).execute();
  await app.services.webhooks.enqueueOrderEvent(ctx, 'order_paid', orderId);
});
// Committed and acknowledged; the after-commit hooks (waking the worker) never run.
process.stdout.write(`${JSON.stringify({ projectId, orderId, hooks: hooks.length })}\n`, () =>
  process.kill(process.pid, 'SIGKILL'),
);
