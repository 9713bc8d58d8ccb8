/**
 * The pay station widget script (ADR 0035): Itemshop's own drop-in for Xsolla's `XPayStationWidget`
 * (`public/embed/paystation-widget.js`), served on the paths Xsolla's loaders use, so a web shop switches by
 * changing one script URL — or none, when a hosts entry sends Xsolla's static hosts to Itemshop:
 *
 * - `/embed/paystation/<version>/widget.min.js` (and `widget.js`) — the path on `static.xsolla.com`;
 * - `/payments-bucket-prod/embed/<version>/widget.min.js` (and `widget.js`) — the path on `cdn.xsolla.net`.
 *
 * `<version>` is any version string: every version gets the same script. Hidden from the OpenAPI document.
 * Needs `reply.sendFile` (the @fastify/static registration of src/http/static.ts).
 */
import type { FastifyPluginAsync } from 'fastify';

/** The widget's file under public/. */
export const WIDGET_FILE = 'embed/paystation-widget.js';

/** Route paths of the widget script (fastify syntax). */
export const WIDGET_PATHS = [
  '/embed/paystation/:version/widget.min.js',
  '/embed/paystation/:version/widget.js',
  '/payments-bucket-prod/embed/:version/widget.min.js',
  '/payments-bucket-prod/embed/:version/widget.js',
] as const;

/** Registers the widget script on WIDGET_PATHS. */
export const paystationWidget: FastifyPluginAsync = async (app) => {
  for (const url of WIDGET_PATHS)
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=300').sendFile(WIDGET_FILE),
    );
};
