/**
 * The docs UI at `/docs` (@fastify/swagger-ui; issue 15 item 6, ADR 0052). When the server runs the demo store
 * (`--demo`), the page opens ready to use: every `project_id` and `merchant_id` parameter carries the demo
 * project's ids as its example (what "Try it out" fills in), and the demo admin key (`basicAuth`) and user JWT
 * (`XsollaLoginUserJWT`, `AuthForCart`) are authorized as the page loads, so "Try it out" answers 200 at once.
 *
 * The credentials reach the page through the specification the UI loads (`/docs/json`, extension
 * `x-itemshop-demo`), read by a small script served with the UI (`DEMO_AUTH_SCRIPT`). They are the demo project's
 * only — the page of a server without `--demo` holds none — and anyone who can open `/docs` of a demo server can
 * use them: run `--demo` for trying Itemshop, not on a public host. `/api/openapi.json` never carries them.
 */
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { OpsState } from './state.js';

/** Name of the extension of the docs UI's specification that carries the demo credentials. */
export const DEMO_EXTENSION = 'x-itemshop-demo';

/**
 * Runs in the browser before the UI starts: wraps SwaggerUIBundle so that, once the specification is loaded, the
 * demo credentials it carries are authorized (Swagger UI's preauthorizeBasic / preauthorizeApiKey).
 */
export const DEMO_AUTH_SCRIPT = `(function () {
  var original = window.SwaggerUIBundle;
  if (!original) return;
  function withDemoAuth(config) {
    var previous = config.onComplete;
    var ui;
    config.onComplete = function () {
      if (typeof previous === 'function') previous();
      var spec = ui && ui.specSelectors.specJson();
      var demo = spec && spec.get('${DEMO_EXTENSION}');
      if (!demo) return;
      demo = demo.toJS();
      ui.preauthorizeBasic('basicAuth', String(demo.project_id), demo.api_key);
      ui.preauthorizeApiKey('XsollaLoginUserJWT', demo.user_jwt);
      ui.preauthorizeApiKey('AuthForCart', demo.user_jwt);
    };
    ui = original(config);
    window.ui = ui;
    return ui;
  }
  Object.assign(withDemoAuth, original);
  window.SwaggerUIBundle = withDemoAuth;
})();
`;

type Spec = {
  paths?: Record<
    string,
    Record<string, { parameters?: { in?: string; name?: string; example?: unknown }[] }>
  >;
  [k: string]: unknown;
};

/**
 * The specification the docs UI shows: with a demo running, the demo ids as the examples of the `project_id` and
 * `merchant_id` path parameters and the demo credentials under `x-itemshop-demo`; unchanged otherwise.
 */
export function docsSpecification(spec: Spec, state: OpsState): Spec {
  const demo = state.demo;
  if (!demo) return spec;
  const examples: Record<string, number> = { project_id: demo.projectId, merchant_id: demo.merchantId };
  for (const item of Object.values(spec.paths ?? {})) {
    for (const op of Object.values(item)) {
      for (const p of op?.parameters ?? []) {
        if (p.in === 'path' && p.name && p.name in examples) p.example = examples[p.name];
      }
    }
  }
  spec[DEMO_EXTENSION] = {
    project_id: demo.projectId,
    merchant_id: demo.merchantId,
    api_key: demo.apiKey,
    user_jwt: demo.userToken,
    user_id: demo.userId,
  };
  return spec;
}

/** Options of @fastify/swagger-ui for `/docs`. */
export function docsUiOptions(state: OpsState): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    uiConfig: { displayRequestDuration: true, persistAuthorization: false, tryItOutEnabled: true },
    theme: {
      title: 'Itemshop API',
      js: [{ filename: 'itemshop-demo-auth.js', content: DEMO_AUTH_SCRIPT }],
    },
    transformSpecification: (spec) => docsSpecification(spec as Spec, state) as typeof spec,
  };
}
