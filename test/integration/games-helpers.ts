/**
 * Helpers of the games / game keys / entitlements tests: a game body in the admin format (seed K), multipart
 * uploads of codes, and reading a key's admin counters.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Tenant } from '../helpers/app.js';

export const usd = (amount: number) => [{ amount, currency: 'USD', is_default: true, is_enabled: true }];

/** A game with a Steam key and a DRM-free key (skus `<sku>_steam`, `<sku>_free`). */
export function gameBody(sku: string, extra: Record<string, unknown> = {}) {
  return {
    sku,
    name: { en: `Game ${sku}`, de: `Spiel ${sku}` },
    description: { en: 'A game' },
    image_url: `https://cdn.example.com/${sku}.png`,
    unit_items: [
      { sku: `${sku}_steam`, drm_sku: 'steam_key_1', prices: usd(19.99) },
      { sku: `${sku}_free`, drm_sku: 'drmfree', prices: usd(14.99) },
    ],
    ...extra,
  };
}

/** A multipart/form-data body with the given text fields and one file part `file` (when `file` is not null). */
export function multipart(file: string | null, fields: Record<string, string> = {}, fileField = 'file') {
  const boundary = `----itemshop${Math.random().toString(16).slice(2)}`;
  let body = '';
  for (const [name, value] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  if (file !== null) {
    body +=
      `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="keys.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\n${file}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return { payload: body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs `codes` (lines, or raw file text) to the upload of key `ref` (`sku/<sku>` or `id/<id>`). */
export function uploadCodes(
  app: FastifyInstance,
  t: Tenant,
  ref: string,
  codes: string[] | string,
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipart(Array.isArray(codes) ? codes.join('\n') : codes, fields);
  return app.inject({
    method: 'POST',
    url: `/api/v2/project/${t.projectId}/admin/items/game/key/upload/${ref}`,
    headers: { ...t.admin, 'content-type': contentType },
    payload,
  });
}

/** `keys` counters of the key `keySku` of game `gameSku` (admin view). */
export async function keyCounters(t: Tenant, gameSku: string, keySku: string) {
  const res = await t.adminCall('GET', `/admin/items/game/sku/${gameSku}`);
  const key = (res.json().unit_items as { sku: string; keys: unknown; is_sales_exist: boolean }[]).find(
    (k) => k.sku === keySku,
  );
  return { ...(key?.keys as { total: number; available: number; used: number }), sales: key?.is_sales_exist };
}

/** The lines of a text/plain code list. */
export const lines = (res: LightMyRequestResponse) => (res.body === '' ? [] : res.body.split('\n'));
