/**
 * Baseline P (issue 7 item 3): a plain implementation of the catalog reads the bench measures, on the same
 * database — one SQL query per request with LIMIT/OFFSET, the rows mapped to the Xsolla item view and
 * `JSON.stringify`d, the user JWT verified with `jose` on every request, no cache of any kind. ETags (R5) are a
 * hash of the body computed per request.
 *
 * It implements what the bench fixture uses (virtual goods with prices, virtual prices, groups, per-user limits,
 * localized names), not the full rules (periods, regions, bundles are left out): it is a yardstick, not a server.
 * The project's JWT secret is read once at start (configuration), not per request.
 *
 *   PORT=8082 DATABASE_URL=… | DATA_DIR=… node --import tsx bench/plain/server.ts
 */
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { sql } from 'kysely';
import { createDb } from '../../src/db/index.js';

const database = await createDb({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR ?? 'memory://',
  dbPoolSize: Number(process.env.DB_POOL_SIZE ?? 10),
});
const { db } = database;
const secrets = new Map(
  (await db.selectFrom('projects').select(['project_id', 'jwt_secret']).execute()).map((p) => [
    p.project_id,
    new TextEncoder().encode(p.jwt_secret),
  ]),
);

interface Row {
  item_id: number;
  sku: string;
  name: Record<string, string>;
  description: Record<string, string> | null;
  image_url: string | null;
  is_free: boolean;
  virtual_item_type: string | null;
  inventory_options: {
    consumable: { usages_count: number | null } | null;
    expiration_period: unknown;
  } | null;
  per_user_total: number | null;
  limit_exceeded_visibility: string | null;
  per_item_total: number | null;
  per_item_remaining: number | null;
  prices: { amount: string; currency: string; country_iso: string | null; is_default: boolean }[] | null;
  vc_prices:
    | {
        item_id: number;
        sku: string;
        name: Record<string, string>;
        description: Record<string, string> | null;
        image_url: string | null;
        amount: number;
        is_default: boolean;
      }[]
    | null;
  groups: { external_id: string; name: Record<string, string> }[] | null;
}

const pick = (v: Record<string, string> | null, locale: string) => (v ? (v[locale] ?? v.en ?? null) : null);
const money = (a: string | number) => Number(a).toFixed(2);

function view(r: Row, locale: string, country: string | null) {
  const prices = r.prices ?? [];
  const price =
    (country ? prices.find((p) => p.country_iso === country) : undefined) ??
    prices.find((p) => p.is_default && !p.country_iso) ??
    null;
  const soldOut = r.per_item_total != null && (r.per_item_remaining ?? 0) <= 0;
  return {
    item_id: r.item_id,
    sku: r.sku,
    type: 'virtual_good',
    name: pick(r.name, locale) ?? r.sku,
    description: pick(r.description, locale),
    image_url:
      r.image_url ?? 'https://static.xsolla.com/misc/publisher_account/virtual_item_default_image.png',
    price: price
      ? {
          amount: money(price.amount),
          amount_without_discount: money(price.amount),
          currency: price.currency,
        }
      : null,
    virtual_prices: (r.vc_prices ?? []).map((v) => ({
      item_id: v.item_id,
      sku: v.sku,
      type: 'virtual_currency',
      name: pick(v.name, locale) ?? v.sku,
      description: pick(v.description, locale),
      image_url: v.image_url,
      amount: Number(v.amount),
      amount_without_discount: Number(v.amount),
      calculated_price: { amount: money(v.amount), amount_without_discount: money(v.amount) },
      is_default: v.is_default,
    })),
    can_be_bought: !soldOut && (r.is_free || price !== null || (r.vc_prices ?? []).length > 0),
    promotions: [],
    limits:
      r.per_user_total == null && r.per_item_total == null
        ? null
        : {
            per_user:
              r.per_user_total == null
                ? null
                : {
                    total: r.per_user_total,
                    available: r.per_user_total,
                    limit_exceeded_visibility: r.limit_exceeded_visibility ?? 'show',
                    recurrent_schedule: null,
                  },
            per_item:
              r.per_item_total == null
                ? null
                : { total: r.per_item_total, available: r.per_item_remaining ?? r.per_item_total },
          },
    periods: [],
    attributes: [],
    is_free: r.is_free,
    groups: (r.groups ?? []).map((g) => ({ external_id: g.external_id, name: pick(g.name, locale) })),
    vp_rewards: [],
    virtual_item_type: r.virtual_item_type ?? 'non_consumable',
    inventory_options: {
      consumable: r.inventory_options?.consumable
        ? { usages_count: r.inventory_options.consumable.usages_count }
        : null,
      expiration_period: r.inventory_options?.expiration_period ?? null,
    },
  };
}

/**
 * The one query: the page of items (LIMIT/OFFSET in a subquery, so the children are aggregated for the page's rows
 * only) with their prices, virtual prices, groups and limits as JSON.
 */
function query(projectId: number, f: { sku?: string; limit: number; offset: number }) {
  return sql<Row>`
    SELECT i.item_id, i.sku, i.name, i.description, i.image_url, i.is_free, i.virtual_item_type,
      i.inventory_options, l.per_user_total, l.limit_exceeded_visibility, l.per_item_total, l.per_item_remaining,
      (SELECT json_agg(json_build_object('amount', p.amount, 'currency', p.currency, 'country_iso', p.country_iso,
          'is_default', p.is_default) ORDER BY p.position)
        FROM item_prices p WHERE p.item_id = i.item_id AND p.is_enabled) AS prices,
      (SELECT json_agg(json_build_object('item_id', c.item_id, 'sku', c.sku, 'name', c.name,
          'description', c.description, 'image_url', c.image_url, 'amount', v.amount, 'is_default', v.is_default)
          ORDER BY v.position)
        FROM item_vc_prices v JOIN items c ON c.item_id = v.currency_item_id
        WHERE v.item_id = i.item_id AND v.is_enabled) AS vc_prices,
      (SELECT json_agg(json_build_object('external_id', g.external_id, 'name', g.name) ORDER BY g."order", g.group_id)
        FROM item_group_links gl JOIN item_groups g ON g.group_id = gl.group_id WHERE gl.item_id = i.item_id) AS groups
    FROM (
      SELECT * FROM items
      WHERE project_id = ${projectId} AND type = 'virtual_good' AND is_enabled AND is_show_in_store
        ${f.sku === undefined ? sql`` : sql`AND sku = ${f.sku}`}
      ORDER BY "order", created_at DESC, item_id DESC
      LIMIT ${f.limit} OFFSET ${f.offset}
    ) i LEFT JOIN item_limits l ON l.item_id = i.item_id
    ORDER BY i."order", i.created_at DESC, i.item_id DESC`.execute(db);
}

const app = Fastify({ logger: false });

interface Q {
  limit?: string;
  offset?: string;
  locale?: string;
  country?: string;
}

/** Verifies the Bearer token when present; false when it is present and invalid. */
async function authorized(projectId: number, header: string | undefined): Promise<boolean> {
  if (!header) return true;
  const secret = secrets.get(projectId);
  if (!secret) return false;
  try {
    await jwtVerify(header.replace(/^Bearer\s+/i, ''), secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    return true;
  } catch {
    return false;
  }
}

const unauthorized = { statusCode: 401, errorCode: 1501, errorMessage: '[0401-1501]: Authorization failed' };

app.get<{ Params: { project_id: string }; Querystring: Q }>(
  '/api/v2/project/:project_id/items/virtual_items',
  async (req, reply) => {
    const projectId = Number(req.params.project_id);
    if (!(await authorized(projectId, req.headers.authorization))) return reply.code(401).send(unauthorized);
    const limit = Math.min(50, Math.max(1, Number(req.query.limit ?? 50)));
    const offset = Math.max(0, Number(req.query.offset ?? 0));
    const locale = req.query.locale ?? 'en';
    const { rows } = await query(projectId, { limit: limit + 1, offset });
    const items = rows.slice(0, limit).map((r) => view(r, locale, req.query.country ?? null));
    const body = JSON.stringify({ has_more: rows.length > limit, items });
    reply.type('application/json; charset=utf-8');
    if (!req.headers.authorization) {
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      reply.header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    }
    return reply.send(body);
  },
);

app.get<{ Params: { project_id: string; sku: string }; Querystring: Q }>(
  '/api/v2/project/:project_id/items/virtual_items/sku/:sku',
  async (req, reply) => {
    const projectId = Number(req.params.project_id);
    if (!(await authorized(projectId, req.headers.authorization))) return reply.code(401).send(unauthorized);
    const { rows } = await query(projectId, { sku: req.params.sku, limit: 1, offset: 0 });
    if (rows.length === 0)
      return reply
        .code(404)
        .send({ statusCode: 404, errorCode: 4001, errorMessage: '[0401-4001]: Item not found' });
    reply.type('application/json; charset=utf-8');
    return reply.send(JSON.stringify(view(rows[0], req.query.locale ?? 'en', req.query.country ?? null)));
  },
);

app.get('/health/live', async () => ({ status: 'ok' }));

await app.listen({ port: Number(process.env.PORT ?? 8082), host: process.env.HOST ?? '127.0.0.1' });
const stop = () => {
  void app
    .close()
    .then(() => database.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
