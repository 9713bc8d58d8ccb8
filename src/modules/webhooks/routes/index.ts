/** The operations of the webhooks area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminGetWebhookDeliveries from './admin-get-webhook-deliveries.js';
import getEvents from './get-events.js';
import getWebhook from './get-webhook.js';
import markEventProcessed from './mark-event-processed.js';
import updateWebhook from './update-webhook.js';

export const webhooksOperations: readonly AnyOperation[] = [
  getWebhook,
  updateWebhook,
  adminGetWebhookDeliveries,
  getEvents,
  markEventProcessed,
];
