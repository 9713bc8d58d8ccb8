/**
 * `GET /` (issue 15 item 7): a small page linking what a person starting Itemshop looks for — the API docs, the
 * OpenAPI document, the console (once one is served at `/console`), the demo pay station (with `--demo`), health
 * and metrics — or the same as JSON for `Accept: application/json` (`{name, version, engine, links, demo?}`;
 * links are paths on this host). Hidden from the OpenAPI document; no secret is shown (the demo pay station link
 * holds the demo order's payment token, which the start-up banner prints as well).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OpsState } from './state.js';

interface Link {
  key: string;
  path: string;
  title: string;
  note: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** True when the client asked for JSON rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

function links(app: FastifyInstance, state: OpsState, metricsToken: boolean): Link[] {
  const out: Link[] = [
    { key: 'docs', path: '/docs', title: 'API docs', note: 'every operation, with "Try it out"' },
    { key: 'openapi', path: '/api/openapi.json', title: 'OpenAPI document', note: 'what this server serves' },
  ];
  if (app.hasRoute({ method: 'GET', url: '/console' }))
    out.push({ key: 'console', path: '/console', title: 'Console', note: 'manage projects and catalogs' });
  if (state.demo?.demoOrder)
    out.push({
      key: 'paystation_demo',
      path: `/paystation4/?token=${encodeURIComponent(state.demo.demoOrder.token)}`,
      title: 'Demo pay station',
      note: `demo order ${state.demo.demoOrder.order_id}: pay, fail or cancel it`,
    });
  out.push(
    { key: 'health_live', path: '/health/live', title: 'Liveness', note: 'the process runs' },
    { key: 'health_ready', path: '/health/ready', title: 'Readiness', note: 'database, migrations, catalog' },
    {
      key: 'metrics',
      path: '/metrics',
      title: 'Metrics',
      note: metricsToken ? 'Prometheus text; needs the METRICS_TOKEN bearer token' : 'Prometheus text',
    },
  );
  return out;
}

function page(version: string, engine: string, list: Link[], state: OpsState): string {
  const items = list
    .map(
      (l) =>
        `<li><a href="${esc(l.path)}">${esc(l.title)}</a><span>${esc(l.note)}</span><code>${esc(l.path.split('?')[0])}</code></li>`,
    )
    .join('');
  const demo = state.demo
    ? `<p class="demo">Demo store: project <b>${state.demo.projectId}</b> (merchant ${state.demo.merchantId}). ` +
      `Its admin key and a user JWT were printed where the server started; the API docs are already authorized with them.</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Itemshop</title><style>
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#eef0f4;color:#1d2230}
main{max-width:640px;margin:48px auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px 32px}
h1{margin:0;font-size:24px}.sub{color:#6b7280;margin:4px 0 20px}ul{list-style:none;padding:0;margin:0}
li{display:grid;grid-template-columns:170px 1fr;gap:2px 12px;padding:10px 0;border-top:1px solid #e5e7eb}
li a{font-weight:600;color:#4f46e5;text-decoration:none}li a:hover{text-decoration:underline}li span{color:#374151}
li code{grid-column:2;color:#6b7280;font-size:13px}.demo{background:#eef2ff;border-radius:8px;padding:10px 14px;margin:0 0 18px}
</style></head><body><main><h1>Itemshop</h1>
<p class="sub">An in-game store server speaking the Xsolla Catalog API 2.0.0 — version ${esc(version)}, ${esc(engine)}. The API is under <code>/api</code>.</p>
${demo}<ul>${items}</ul></main></body></html>`;
}

/** Registers `GET /`. */
export function registerHome(
  app: FastifyInstance,
  opts: { state: OpsState; version: string; engine: string; metricsToken: boolean },
): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const list = links(app, opts.state, opts.metricsToken);
    reply.header('vary', 'Accept');
    if (wantsJson(request)) {
      const demo = opts.state.demo;
      return reply.send({
        name: 'Itemshop',
        version: opts.version,
        engine: opts.engine,
        links: Object.fromEntries(list.map((l) => [l.key, l.path])),
        ...(demo ? { demo: { project_id: demo.projectId, merchant_id: demo.merchantId } } : {}),
      });
    }
    return reply.type('text/html; charset=utf-8').send(page(opts.version, opts.engine, list, opts.state));
  });
}
