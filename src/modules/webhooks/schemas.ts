/**
 * Request and response schemas of webhooks: get-webhook / update-webhook (official spec, group common-webhooks)
 * and the delivery log (Itemshop extension).
 */
import { Type } from 'typebox';
import { Nullable, PageQuery, ProjectIdParam } from '../../http/schemas.js';
export { ProjectParams } from '../../http/schemas.js';

const Version = Type.Union([Type.Literal(1), Type.Literal(2)], {
  description:
    'Webhook format: `2` adds `is_free`, `is_bonus` and `is_bundle_content` to every item and lists the content of bundles; `1` (default) does not.',
});

/** get-webhook 200. */
export const WebhookSettings = Type.Object({
  url: Type.String({ description: 'Where order webhooks are POSTed.' }),
  secret: Type.String({ description: 'Key appended to the body before hashing: `sha1(body + secret)`.' }),
  is_enabled: Type.Boolean(),
  version: Version,
});

/** update-webhook body. */
export const WebhookSettingsBody = Type.Object({
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'Absolute http(s) URL receiving `order_paid` and `order_canceled`.',
    examples: ['https://game.example.com/xsolla/webhook'],
  }),
  secret: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'Project secret key signing the webhooks.',
  }),
  is_enabled: Type.Boolean({ description: 'Whether order webhooks are sent.' }),
  version: Type.Optional(Version),
});

/** Query of the delivery log. */
export const DeliveriesQuery = Type.Object({
  ...PageQuery.properties,
  order_id: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Only the events of this order.' }),
  ),
});

const DeliveryAttempt = Type.Object({
  attempt: Type.Integer({ description: '1 for the first attempt.' }),
  attempted_at: Type.String({ format: 'date-time' }),
  url: Type.String(),
  status_code: Nullable(Type.Integer({ description: 'HTTP status answered; null when none came.' })),
  error: Nullable(Type.String({ description: 'Network error or timeout, when no answer came.' })),
  response: Nullable(Type.String({ description: 'First 500 characters of the answer body.' })),
  duration_ms: Type.Integer(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retry'), Type.Literal('failed')]),
});

const Delivery = Type.Object({
  event_id: Type.Integer(),
  order_id: Nullable(Type.Integer()),
  notification_type: Type.String({ examples: ['order_paid'] }),
  status: Type.Union(
    [Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('discarded')],
    {
      description:
        '`pending` (not yet acknowledged; retried on schedule), `delivered` (answered 200/201/204), `failed` (a non-retried 4xx, or the schedule used up), `discarded` (webhooks disabled before it was sent).',
    },
  ),
  attempts_count: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
  delivered_at: Nullable(Type.String({ format: 'date-time' })),
  last_error: Nullable(Type.String()),
  attempts: Type.Array(DeliveryAttempt),
});

/** The delivery log page. */
export const DeliveryList = Type.Object({ has_more: Type.Boolean(), items: Type.Array(Delivery) });

// ---------- Event API (Xsolla Event API 2.0, getupdate.xsolla.com; ADR 0031) ----------

const NotificationTypes = Type.Union([Type.String(), Type.Array(Type.String())], {
  description:
    'Only events of these notification types (`order_paid`, `order_canceled`): repeat the parameter or separate ' +
    'types with commas. Unknown types match nothing.',
});

/** Query of get-events. */
export const EventsQuery = Type.Object({
  project_id: ProjectIdParam,
  after_id: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Only events with an id greater than this.',
    }),
  ),
  types: Type.Optional(NotificationTypes),
});

/** Query of mark-event-processed. */
export const EventProjectQuery = Type.Object({ project_id: ProjectIdParam });

/** Path of mark-event-processed. */
export const EventParams = Type.Object({
  event_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Event ID.' }),
});

const UserEvent = Type.Object({
  id: Type.Integer({ description: 'Event ID (increasing).' }),
  data: Type.Object(
    {
      notification_type: Type.String({ examples: ['order_paid'] }),
      settings: Type.Object({ project_id: Type.Integer(), merchant_id: Type.Integer() }),
    },
    {
      additionalProperties: true,
      description:
        'The order webhook body as Itemshop signs and sends it (`items`, `notification_type`, `order`, `user`, ' +
        '`custom_parameters`), plus `settings` naming the project and merchant.',
    },
  ),
  status: Type.Integer({ description: '`0`: not processed (only unprocessed events are listed).' }),
  created_at: Type.String({ format: 'date-time' }),
});

/** get-events 200. */
export const EventList = Type.Object({ events: Type.Array(UserEvent) });
