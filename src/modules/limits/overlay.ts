/**
 * The per-request limits overlay of catalog reads (DESIGN §4; seed-details §2.7–2.8): the snapshot renders
 * every item once, without user state and with the stock it was loaded with; this patches the few limited
 * items of a page with what is true now:
 * - `limits.per_item.available`: the live global stock (AvailabilityService.stock, at most 1 s old);
 * - `limits.per_user.available`: for a request with a user JWT, total − what the user bought in the window;
 * - `can_be_bought: false` when the stock (global or pre-order) is gone or the user reached the limit;
 * - an item whose per-user limit the user reached is left out when `limit_exceeded_visibility` is `hide`, or
 *   when the limit never resets (no recurrent schedule), until the reset.
 * Pages without limited items cost one Map lookup per item; a page that needs no change keeps its cached bytes.
 * Registered with the catalog at start-up (src/services.ts → registerCatalogOverlay).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Overlaid, OverlayTarget } from '../../catalog/http.js';
import { pageBody } from '../../catalog/store.js';
import type { ItemRecord } from '../items/model.js';
import type { StockLeft } from '../availability/service.js';

type View = {
  item_id: number;
  can_be_bought?: boolean;
  limits?: {
    per_user?: { total: number; available: number } | null;
    per_item?: { total: number; available: number } | null;
  } | null;
};

interface Patch {
  drop: boolean;
  canBeBought: boolean | null;
  perUserAvailable: number | null;
  perItemAvailable: number | null;
}

const perUserTotal = (i: ItemRecord) => i.limits?.per_user_total ?? null;

/**
 * Applies live limits to a rendered page (`{has_more, items}`) or item view (a CatalogOverlay). A page is never
 * parsed: only the JSON of each patched item is, and the page is joined again from its items' fragments.
 */
export async function overlayLimits(
  request: FastifyRequest,
  projectId: number,
  target: OverlayTarget,
): Promise<Overlaid | null> {
  const { items, body, page } = target;
  const availability = request.server.services.availability;
  const stock = await availability.stock(projectId);
  const userId = request.auth.user?.userId;
  const used =
    userId && items.some((i) => perUserTotal(i) !== null)
      ? await availability.usedByUser(projectId, userId)
      : new Map<number, number>();
  const patches = new Map<number, Patch>();
  for (const item of items) {
    const p = patchOf(item, stock.get(item.item_id), used.get(item.item_id) ?? 0);
    if (p) patches.set(item.item_id, p);
  }
  if (patches.size === 0) return null;
  const tag = createHash('sha1')
    .update(JSON.stringify([...patches]))
    .digest('base64url')
    .slice(0, 10);
  if (!page) {
    const p = patches.get(items[0].item_id);
    if (p?.drop) return { body, tag, hidden: true };
    return { body: p ? Buffer.from(patched(body.toString('utf8'), p)) : body, tag, hidden: false };
  }
  const fragments = page.fragments();
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const p = patches.get(items[i].item_id);
    if (!p) out.push(fragments[i]);
    else if (!p.drop) out.push(patched(fragments[i], p));
  }
  return { body: pageBody(page.hasMore, out), tag, hidden: false };
}

/** The JSON of one item view with `p` applied (only this item's JSON is parsed). */
function patched(json: string, p: Patch): string {
  const v = JSON.parse(json) as View;
  apply(v, p);
  return JSON.stringify(v);
}

/** What to change in the view of `item` (null: the snapshot's render is right). */
function patchOf(item: ItemRecord, left: StockLeft | undefined, used: number): Patch | null {
  const l = item.limits;
  const total = perUserTotal(item);
  const stockLeft = Math.min(left?.remaining ?? Infinity, left?.preOrder ?? Infinity);
  const soldOut = stockLeft <= 0;
  const snapshotRemaining = l?.per_item_total != null ? (l.per_item_remaining ?? l.per_item_total) : null;
  const stockMoved =
    left?.remaining != null && l?.per_item_total != null && left.remaining !== snapshotRemaining;
  const exhausted = total !== null && used >= total;
  if (!soldOut && !stockMoved && used === 0) return null;
  return {
    drop: exhausted && (l?.limit_exceeded_visibility === 'hide' || !l?.recurrent),
    canBeBought: soldOut || exhausted ? false : null,
    perUserAvailable: total !== null ? Math.max(0, total - used) : null,
    perItemAvailable: l?.per_item_total != null && left?.remaining != null ? left.remaining : null,
  };
}

function apply(v: View, p: Patch) {
  if (p.canBeBought === false) v.can_be_bought = false;
  if (v.limits?.per_user && p.perUserAvailable !== null) v.limits.per_user.available = p.perUserAvailable;
  if (v.limits?.per_item && p.perItemAvailable !== null) v.limits.per_item.available = p.perItemAvailable;
}
