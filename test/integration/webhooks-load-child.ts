/**
 * Child process of webhooks-kill.test.ts (not a test): builds the app with its webhook worker ON on the database
 * the parent names, sets a project's webhook to the parent's receiver, commits CHILD_EVENTS order_paid events
 * (the worker starts sending them at once), prints `{projectId}` and keeps running until the parent kills it with
 * SIGKILL in the middle of the deliveries.
 *
 * Env: CHILD_DATABASE_URL (PostgreSQL) or CHILD_DATA_DIR (PGlite directory); RECEIVER_URL; WEBHOOK_SECRET;
 * CHILD_EVENTS; and the app's own WEBHOOK_CONCURRENCY / WEBHOOK_TIMEOUT_MS.
 */
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { basic } from '../helpers/app.js';
import { commitOrderEvent, insertOrder } from './webhooks-helpers.js';

const config = loadConfig(
  {
    WEBHOOK_CONCURRENCY: process.env.WEBHOOK_CONCURRENCY,
    WEBHOOK_TIMEOUT_MS: process.env.WEBHOOK_TIMEOUT_MS,
  },
  {
    ...(process.env.CHILD_DATABASE_URL
      ? { databaseUrl: process.env.CHILD_DATABASE_URL }
      : { dataDir: process.env.CHILD_DATA_DIR }),
    logLevel: 'silent',
    webhookWorker: true,
    webhookPollIntervalMs: 50,
    importWorker: false,
    orderSweepIntervalSeconds: 0,
  },
);
const app = await buildApp(config);
await app.ready();
const { tenancy } = app.services;
const merchantId = await tenancy.createMerchant(`load-child-${process.pid}-${Date.now()}`);
const projectId = await tenancy.createProject(merchantId, `load-child-${process.pid}`);
const apiKey = await tenancy.createApiKey(merchantId, projectId, 'child');
const put = await app.inject({
  method: 'PUT',
  url: `/api/v2/project/${projectId}/admin/webhook`,
  headers: { authorization: basic(projectId, apiKey) },
  payload: { url: process.env.RECEIVER_URL, secret: process.env.WEBHOOK_SECRET, is_enabled: true },
});
if (put.statusCode !== 204) throw new Error(`update-webhook answered ${put.statusCode}: ${put.body}`);
const events = Number(process.env.CHILD_EVENTS ?? 30);
for (let i = 0; i < events; i++) {
  const orderId = await insertOrder(app, projectId, { userId: `load-${i}`, lines: [{ sku: `s${i}` }] });
  await commitOrderEvent(app, 'order_paid', orderId);
}
process.stdout.write(`${JSON.stringify({ projectId })}\n`);
setInterval(() => {}, 60_000); // deliver until killed
