/**
 * The messages of the fan-out between processes (fanout.ts), and their wire form: compact JSON, well under the
 * 8000-byte limit of a PostgreSQL NOTIFY payload.
 *
 * - `catalog`: the project's catalog_version became `version` (CatalogWriter; catalog/sync.ts). Wire:
 *   `{"t":"catalog","n":<node>,"p":<project_id>,"v":<version>}`; the older `"<project_id>:<version>"` is still read.
 * - `order`: order `orderId` of user `userId` took `status` (OrdersService.onStatusChange; modules/realtime).
 *   Wire: `{"t":"order","n":<node>,"p":<project_id>,"o":<order_id>,"u":<user_id>,"s":<status>}`.
 * - `identity`: what authenticates a project or a merchant changed (modules/tenancy/directory.ts): with
 *   `projectId`, the project's identity_version became `version` (name, JWT secret, JWKS URL, its own keys);
 *   without, the merchant's identity_version became `version` (its merchant-wide keys, which open every project
 *   of the merchant). Wire: `{"t":"identity","n":<node>,"m":<merchant_id>,"p":<project_id>?,"v":<version>}`.
 * - `availability`: volatile counters of items of the project changed (a purchase claimed the last game code, took
 *   stock…): drop or re-read what is cached of them (modules/availability). `counter` says which: `keys` (code pools
 *   of game keys) or `stock` (stock and pre-order quantity). Wire:
 *   `{"t":"avail","n":<node>,"p":<project_id>,"i":[ids],"c":"s"?}` (`c` absent: keys); an empty `i` means every
 *   item of the project (more than AVAILABILITY_IDS_MAX changed).
 *
 * `node` is the sending process (fanout.ts drops a process's own messages); absent on messages built locally.
 */

export interface CatalogVersionMessage {
  type: 'catalog';
  projectId: number;
  version: number;
  node?: string;
}

export interface OrderStatusMessage {
  type: 'order';
  projectId: number;
  orderId: number;
  userId: string;
  /** The order status the order took (orders/model.ts OrderStatus). */
  status: string;
  node?: string;
}

export interface IdentityVersionMessage {
  type: 'identity';
  merchantId: number;
  /** Absent for a change of the merchant's merchant-wide keys. */
  projectId?: number;
  /** The new identity_version of the project (or, without projectId, of the merchant). */
  version: number;
  node?: string;
}

export interface AvailabilityMessage {
  type: 'availability';
  projectId: number;
  /** The items whose counters changed; empty: any item of the project. */
  itemIds: number[];
  /** Which counters: unclaimed codes of game keys, or stock and pre-order quantity of limited items. */
  counter: 'keys' | 'stock';
  node?: string;
}

/** Item ids sent in one availability message at most (keeps it well under the NOTIFY limit); past it: none (all). */
export const AVAILABILITY_IDS_MAX = 400;

export type FanoutMessage =
  CatalogVersionMessage | OrderStatusMessage | IdentityVersionMessage | AvailabilityMessage;

/** The wire form of `m`. */
export function encodeMessage(m: FanoutMessage): string {
  if (m.type === 'catalog') return JSON.stringify({ t: 'catalog', n: m.node, p: m.projectId, v: m.version });
  if (m.type === 'identity')
    return JSON.stringify({ t: 'identity', n: m.node, m: m.merchantId, p: m.projectId, v: m.version });
  if (m.type === 'availability') {
    const ids = m.itemIds.length > AVAILABILITY_IDS_MAX ? [] : m.itemIds;
    return JSON.stringify({ t: 'avail', n: m.node, p: m.projectId, i: ids, c: m.counter === 'stock' ? 's' : undefined });
  }
  return JSON.stringify({ t: 'order', n: m.node, p: m.projectId, o: m.orderId, u: m.userId, s: m.status });
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A message from its wire form, or null when `payload` is not one. */
export function decodeMessage(payload: string | undefined): FanoutMessage | null {
  if (!payload) return null;
  const legacy = /^(\d+):(\d+)$/.exec(payload);
  if (legacy) return { type: 'catalog', projectId: Number(legacy[1]), version: Number(legacy[2]) };
  let w: Record<string, unknown>;
  try {
    w = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (w === null || typeof w !== 'object') return null;
  const node = typeof w.n === 'string' ? w.n : undefined;
  if (w.t === 'catalog' && isId(w.p) && isId(w.v))
    return { type: 'catalog', projectId: w.p, version: w.v, node };
  if (w.t === 'avail' && isId(w.p) && Array.isArray(w.i) && w.i.every(isId) && (w.c === undefined || w.c === 's'))
    return { type: 'availability', projectId: w.p, itemIds: w.i, counter: w.c === 's' ? 'stock' : 'keys', node };
  if (w.t === 'order' && isId(w.p) && isId(w.o) && typeof w.u === 'string' && typeof w.s === 'string')
    return { type: 'order', projectId: w.p, orderId: w.o, userId: w.u, status: w.s, node };
  if (w.t === 'identity' && isId(w.m) && isId(w.v) && (w.p === undefined || isId(w.p)))
    return {
      type: 'identity',
      merchantId: w.m,
      ...(w.p === undefined ? {} : { projectId: w.p }),
      version: w.v,
      node,
    };
  return null;
}
