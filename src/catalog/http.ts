/**
 * HTTP glue of catalog reads: turns a catalog query into view options (locale, country, additional fields,
 * inactive items), sends pre-rendered pages with an ETag (anonymous requests) and answers `If-None-Match`
 * with 304. The country is the `country` query, else the trusted proxy header (COUNTRY_HEADER), else unknown.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { pageOf } from '../http/schemas.js';
import { requestLocale } from '../lib/locale.js';
import type { ItemRecord } from '../model/item.js';
import { meansAllGroups } from '../model/all-group.js';
import type { AdditionalField } from './render.js';
import type { CatalogSnapshot } from './snapshot.js';
import type { ViewOptions, ViewSpec } from './store.js';

export interface CatalogQuery {
  limit?: number;
  offset?: number;
  locale?: string;
  country?: string;
  show_inactive_time_limited_items?: number;
  'additional_fields[]'?: AdditionalField[];
  additional_fields?: AdditionalField[];
  with_geo?: boolean | number;
}

/** The buyer's country: `country` query, else the configured trusted header, else null. */
export function buyerCountry(request: FastifyRequest, query: { country?: string }): string | null {
  if (query.country) return query.country.toUpperCase();
  const header = request.server.services.config.countryHeader;
  const v = header ? request.headers[header.toLowerCase()] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return s && /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : null;
}

const NO_FIELDS: AdditionalField[] = [];

/** A page or item body patched for one request, with a tag telling the patched states apart (ETag). */
export interface Overlaid {
  body: Buffer;
  tag: string;
  /** True when the single item of an item view is hidden from this user. */
  hidden: boolean;
}

/** What an overlay patches: rendered bytes of one item, or of a page with its items' JSON fragments. */
export interface OverlayTarget {
  /** The records of the rendered items, in order. */
  items: readonly ItemRecord[];
  /** The rendered bytes: the page `{has_more, items}`, or the one item's JSON. */
  body: Buffer;
  /** For a page: `has_more` and the JSON of each item (splice a patched one in; never parse the page). */
  page?: { hasMore: boolean; fragments: () => string[] };
}

/**
 * A per-request overlay of catalog reads: patches the rendered target with what is true now for this request
 * (live stock, per-user limits); null when the rendered body is right as it is. Registered by a module at
 * start-up (modules/limits/overlay.ts).
 */
export type CatalogOverlay = (
  request: FastifyRequest,
  projectId: number,
  target: OverlayTarget,
) => Promise<Overlaid | null>;

let overlay: CatalogOverlay = () => Promise.resolve(null);

/** Registers the per-request overlay of catalog reads (one; a later call replaces it). Modules call it at start-up. */
export function registerCatalogOverlay(o: CatalogOverlay): void {
  overlay = o;
}

export function viewOptions(request: FastifyRequest, q: CatalogQuery): ViewOptions {
  const a = q['additional_fields[]'];
  const b = q.additional_fields;
  return {
    locale: requestLocale(q.locale),
    country: buyerCountry(request, q),
    fields: a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : NO_FIELDS,
    showInactive: q.show_inactive_time_limited_items === 1,
  };
}

function projectNotFound(request: FastifyRequest) {
  return new AppError('PROJECT_NOT_FOUND', `Project with id = ${request.auth.projectId ?? '?'} not found`);
}

function sendCached(request: FastifyRequest, reply: FastifyReply, body: Buffer, etag: string) {
  reply.type('application/json; charset=utf-8');
  if (!request.auth.user) {
    reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  }
  return reply.send(body);
}

/** Sends a page of `spec` for `projectId` (`{has_more, items}`). */
export async function sendCatalogPage(
  request: FastifyRequest,
  reply: FastifyReply,
  projectId: number,
  spec: ViewSpec,
  q: CatalogQuery,
) {
  setGeoHeaders(request, reply, q);
  const { limit, offset } = pageOf(q);
  const page = await request.server.services.catalog.page(
    projectId,
    spec,
    viewOptions(request, q),
    limit,
    offset,
  );
  if (!page) throw projectNotFound(request);
  const { items, body, hasMore, fragments } = page;
  // live stock, user limits
  const live = await overlay(request, projectId, { items, body, page: { hasMore, fragments } });
  if (live) return sendCached(request, reply, live.body, `${page.etag.slice(0, -1)}.${live.tag}"`);
  return sendCached(request, reply, page.body, page.etag);
}

/** Sends one item found by `find`, or throws `notFound()` when it is absent or not sellable. */
export async function sendCatalogItem(
  request: FastifyRequest,
  reply: FastifyReply,
  projectId: number,
  find: (s: CatalogSnapshot) => ItemRecord | undefined,
  q: CatalogQuery,
  notFound: () => AppError,
) {
  setGeoHeaders(request, reply, q);
  const r = await request.server.services.catalog.item(projectId, find, viewOptions(request, q));
  if (!r.found) throw r.project ? notFound() : projectNotFound(request);
  const live = await overlay(request, projectId, { items: [r.item], body: r.body }); // live stock, user limits
  if (live?.hidden) throw notFound();
  if (live) return sendCached(request, reply, live.body, `${r.etag.slice(0, -1)}.${live.tag}"`);
  return sendCached(request, reply, r.body, r.etag);
}

/** The group of a group-scoped read, or 404/4403 (also for a disabled group or one under a disabled parent). */
export function groupOf(snapshot: CatalogSnapshot, externalId: string) {
  const g = snapshot.groupsByExternalId.get(externalId);
  if (!g || !snapshot.groupEnabled(g)) throw new AppError('GROUP_NOT_FOUND');
  return g;
}

/**
 * The candidate items of a client `…/group/{external_id}` read: the group's members in the group's order, or —
 * for `all` without a group of that id (modules/groups/all-group.ts) — every item in catalog order (each read
 * then keeps its own type).
 * @throws 404/4403 for an unknown or disabled group
 */
export function groupItems(snapshot: CatalogSnapshot, externalId: string): readonly ItemRecord[] {
  if (meansAllGroups(externalId, (id) => snapshot.groupsByExternalId.has(id))) return snapshot.ordered;
  return snapshot.groupMembers.get(groupOf(snapshot, externalId).group_id) ?? [];
}

/** Finder of the item `sku` (optionally only when `pick` accepts it) for sendCatalogItem. */
export const findBySku =
  (sku: string, pick: (item: ItemRecord) => boolean = () => true) =>
  (s: CatalogSnapshot) => {
    const item = s.bySku.get(sku);
    return item && pick(item) ? item : undefined;
  };

/** Finder of the item with numeric `itemId` (optionally only when `pick` accepts it). */
export const findById =
  (itemId: number, pick: (item: ItemRecord) => boolean = () => true) =>
  (s: CatalogSnapshot) => {
    const item = s.byId.get(itemId);
    return item && pick(item) ? item : undefined;
  };

/** Names of the headers of `with_geo`, spelled as the real service and the SDKs that read them spell them. */
export const GEO_HEADERS = { locale: 'X-User-Locale-Code', country: 'X-User-Country-Code' } as const;

/**
 * `with_geo=1` (or `true`) on a catalog read: answers with `X-User-Locale-Code` (the two-letter language of the
 * answer) and `X-User-Country-Code` (the buyer's ISO 3166-1 alpha-2 country: `country` query, else the trusted
 * proxy header; left out when unknown). Set on the raw response so the names keep their case: the iOS SDK looks
 * them up case-sensitively. docs/decisions/0026-with-geo.md.
 */
export function setGeoHeaders(request: FastifyRequest, reply: FastifyReply, q: CatalogQuery) {
  if (q.with_geo !== true && q.with_geo !== 1) return;
  reply.raw.setHeader(GEO_HEADERS.locale, requestLocale(q.locale));
  const country = buyerCountry(request, q);
  if (country) reply.raw.setHeader(GEO_HEADERS.country, country);
}
