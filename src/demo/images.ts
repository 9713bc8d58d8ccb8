/**
 * The demo store's pictures (ADR 0036): Itemshop's own PNGs in public/demo/<sku>.png, drawn by
 * scripts/demo-images.ts and served under /static/demo/ (src/http/static.ts). The demo files (demo-store.json,
 * bundles.json, games.json) name them by path; seeding makes each path absolute on the server's base URL, because
 * SDKs load `image_url` as given.
 */

/** URL path of the demo's pictures (public/demo/, served by src/http/static.ts). */
export const DEMO_IMAGE_PATH = '/static/demo/';

/** Base URL of the demo's picture URLs when the caller names none: the address of a default `itemshop serve`. */
export const DEFAULT_DEMO_BASE_URL = 'http://localhost:8080';

export interface DemoSeedOptions {
  /**
   * Base URL the clients reach this server at (PUBLIC_URL, else http://localhost:<port>; no trailing slash), on
   * which the demo's relative picture paths are made absolute — SDKs load `image_url` as given, so it must be an
   * absolute URL. Default DEFAULT_DEMO_BASE_URL.
   */
  baseUrl?: string;
}

/** `body` with an `image_url` that is a path (`/…`) made absolute on `baseUrl`; other values unchanged. */
export function withAbsoluteImage<T>(body: T, baseUrl: string): T {
  const url = (body as { image_url?: unknown }).image_url;
  if (typeof url !== 'string' || !url.startsWith('/')) return body;
  return { ...body, image_url: `${baseUrl.replace(/\/+$/, '')}${url}` };
}
