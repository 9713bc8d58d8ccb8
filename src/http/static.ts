/**
 * Files served from the repository's `public/` folder under `/static/` (@fastify/static; ADR 0036): the demo
 * store's images (`/static/demo/<sku>.png`) and the pay station widget script (`/static/embed/paystation-widget.js`,
 * also on the widget's own paths, src/modules/paystation/widget.ts). `reply.sendFile(<path under public/>)` is
 * available to every route. No directory listing, no index file; unknown files answer 404.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyStaticOptions } from '@fastify/static';

/** Absolute path of `public/` (the same from `src/http/` and from the compiled `dist/http/`). */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** URL prefix of the files of PUBLIC_DIR. */
export const STATIC_PREFIX = '/static/';

/** Options of the one @fastify/static registration (app.ts). */
export const staticOptions: FastifyStaticOptions = {
  root: PUBLIC_DIR,
  prefix: STATIC_PREFIX,
  index: false,
  list: false,
  decorateReply: true, // reply.sendFile for the widget routes
  maxAge: '1h',
  serveDotFiles: false,
  allowedPath: (path) => !path.endsWith('/'), // a folder is not a file: 404, as for any missing file
};
