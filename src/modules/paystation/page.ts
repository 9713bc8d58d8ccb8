/**
 * The sandbox pay station page: `GET /paystation4/?token=<token>` on Itemshop's host (and the other entry points,
 * `/paystation3/` and `/paystation2/?access_token=<token>`, PAYSTATION_ENTRY_POINTS) answers a small
 * self-contained HTML page (inline CSS and script, no external asset, no cookie) showing the order the payment
 * token opens — items, total, status — with Pay, Fail and Cancel buttons. The buttons call the JSON endpoints
 * `POST /api/paystation/{token}/pay|fail|cancel` and redraw the page. It stands in for Xsolla's Pay Station
 * (`https://secure.xsolla.com/paystation4/?token=…`, spec/NOTES.md "Payment UI"), so a game can open the same
 * path on Itemshop's host. Registered outside `/api` and hidden from the OpenAPI document.
 *
 * Return to the game: after Pay, Fail or Cancel the page sends the buyer to `settings.return_url` with the query
 * the real Pay Station adds (`status` done/troubled/canceled, `user_id`, `invoice_id`, `foreigninvoice`) when the
 * order's redirect policy asks for it (view.ts autoReturnAfter), app schemes included; otherwise it redraws, and a
 * "Return to the game" link is shown whenever a return URL is set.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { EMBED_BRIDGE_SCRIPT, PAYSTATION_RESULT_EVENT } from './embed-bridge.js';

import type { paystationView } from './view.js';

type View = ReturnType<typeof paystationView>;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON for an inline script: `<` escaped so no `</script>` can close the element. */
const inlineJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const money = (m: { amount: string; currency: string } | null) => (m ? `${m.amount} ${m.currency}` : '—');

const STATUS_TEXT: Record<string, string> = {
  new: 'Awaiting payment',
  paid: 'Paid',
  done: 'Paid — items delivered',
  canceled: 'Canceled',
  expired: 'Expired',
};

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#eef0f4;color:#1d2230}main{max-width:560px;margin:40px auto;background:#fff;border-radius:12px;
box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px}h1{font-size:20px;margin:0 0 4px}.muted{color:#6b7280;
font-size:13px}.sandbox{background:#fff4d6;color:#7a5300;border-radius:6px;padding:6px 10px;font-size:13px;
margin:0 0 16px}table{width:100%;border-collapse:collapse;margin:18px 0}th,td{text-align:left;padding:8px 4px;
border-bottom:1px solid #e5e7eb}td.n,th.n{text-align:right}tfoot td{font-weight:600;border:none}
.status{display:inline-block;border-radius:999px;padding:2px 10px;font-size:13px;font-weight:600}
.s-new{background:#e0e7ff;color:#3730a3}.s-paid,.s-done{background:#dcfce7;color:#166534}
.s-canceled,.s-expired{background:#f3f4f6;color:#4b5563}.actions{display:flex;gap:10px;margin-top:8px}
button{flex:1;border:0;border-radius:8px;padding:11px;font-size:15px;font-weight:600;cursor:pointer}
button[disabled]{opacity:.45;cursor:default}#pay{background:#4f46e5;color:#fff}#fail{background:#fee2e2;
color:#991b1b}#cancel{background:#f3f4f6;color:#1f2937}#msg{min-height:1.4em;margin-top:12px;font-size:14px}
a.back{display:block;text-align:center;margin-top:14px}`;

/** The page of an order. */
export function renderPaystationPage(view: View, token: string): string {
  const rows = view.items
    .map(
      (i) =>
        `<tr><td>${esc(i.name)}<div class="muted">${esc(i.sku)}</div></td><td class="n">${i.quantity}</td>` +
        `<td class="n">${esc(i.is_free ? 'Free' : money(i.price))}</td></tr>`,
    )
    .join('');
  const total = view.is_free ? 'Free' : money(view.price ?? view.virtual_price);
  const disabled = view.payable ? '' : ' disabled';
  const back = view.return_url ? `<a class="back" href="${esc(view.return_url)}">Return to the game</a>` : '';
  const codes = view.game_codes.length
    ? `<p>Your game keys:</p><ul>${view.game_codes
        .map((c) => `<li>${esc(c.sku)}: <code>${esc(c.code)}</code></li>`)
        .join('')}</ul>`
    : '';
  const failures = view.payment_failures
    ? `<p class="muted">Failed payment attempts: ${view.payment_failures}</p>`
    : '';
  const expires = view.expires_at && view.payable ? ` · pay before ${esc(view.expires_at)}` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pay for order ${view.order_id} — Itemshop sandbox pay station</title><style>${STYLE}</style></head>
<body><main>
<p class="sandbox">Sandbox pay station — no real money moves. Pay, fail or cancel to test your purchase flow.</p>
<h1>${esc(view.project_name || `Project ${view.project_id}`)}</h1>
<p class="muted">Order ${view.order_id}${view.mode === 'sandbox' ? ' · sandbox mode' : ''}${expires}</p>
<p>Status: <span id="status" class="status s-${esc(view.status)}">${esc(STATUS_TEXT[view.status] ?? view.status)}</span></p>
<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Price</th></tr></thead>
<tbody>${rows}</tbody><tfoot><tr><td>Total</td><td></td><td class="n" id="total">${esc(total)}</td></tr></tfoot></table>
${codes}${failures}
<div class="actions"><button id="pay"${disabled}>Pay</button><button id="fail"${disabled}>Fail</button>
<button id="cancel"${disabled}>Cancel</button></div>
<div id="msg" role="status"></div>${back}
</main>
<script>
(function () {
  var token = ${inlineJson(token)};
  var msg = document.getElementById('msg');
  function act(action) {
    var buttons = document.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    msg.textContent = 'Processing…';
    fetch('/api/paystation/' + encodeURIComponent(token) + '/' + action, { method: 'POST' })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        if (!r.ok) { msg.textContent = r.body.errorMessage || 'The request failed'; setTimeout(reload, 1500); return; }
        document.dispatchEvent(new CustomEvent(${inlineJson(PAYSTATION_RESULT_EVENT)}, { detail: { action: action, order: r.body } }));
        var back = r.body.return_url, after = r.body.return_after_seconds;
        if (typeof back === 'string' && typeof after === 'number') {
          msg.textContent = 'Returning to the game…';
          setTimeout(function () { window.location.href = back; }, after * 1000);
          return;
        }
        reload();
      })
      .catch(function () { msg.textContent = 'Network error'; setTimeout(reload, 1500); });
  }
  function reload() { window.location.reload(); }
  ['pay', 'fail', 'cancel'].forEach(function (a) {
    document.getElementById(a).addEventListener('click', function () { act(a); });
  });
})();
</script>
<script>${EMBED_BRIDGE_SCRIPT}</script>
</body></html>
`;
}

/** The page for a missing, unknown or expired token. */
export function renderPaystationNotFound(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Payment link not found — Itemshop sandbox pay station</title><style>${STYLE}</style></head>
<body><main><h1>Payment link not found</h1>
<p class="muted">This payment link is unknown or has expired. Start the purchase again in the game.</p>
</main></body></html>
`;
}

/** Self-contained page: nothing but this document's inline style and script, and calls to this host. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; " +
  "img-src 'self' data:; base-uri 'none'; form-action 'none'";

/**
 * The paths a client opens the pay station on, each with the query parameter that carries the payment token:
 * `/paystation4/?token=` (Pay Station 4: Defold, iOS and Android SDKs, most examples), `/paystation3/?access_token=`
 * (Cocos, Unity) and `/paystation2/?access_token=` (the embed widget). The same payment token opens any of them,
 * as on the real service; a token in the other parameter is accepted too (ADR 0035).
 */
export const PAYSTATION_ENTRY_POINTS = ['/paystation2/', '/paystation3/', '/paystation4/'] as const;

/** The token of a pay station request: `token`, else `access_token` (a repeated parameter: its first value). */
export function paystationToken(query: Record<string, unknown>): string {
  const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  for (const name of ['token', 'access_token']) {
    const v = first(query[name]);
    if (typeof v === 'string' && v !== '') return v;
  }
  return '';
}

/**
 * Registers the sandbox pay station page on every entry point (PAYSTATION_ENTRY_POINTS), and the
 * `/paystation{3,4}/<locale>/cache-warmup` pages the iOS and Android SDKs preload (an empty page here).
 */
export const paystationPage: FastifyPluginAsync = async (app) => {
  for (const url of PAYSTATION_ENTRY_POINTS)
    app.get<{ Querystring: Record<string, unknown> }>(url, { schema: { hide: true } }, async (req, reply) => {
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CSP)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer');
      const token = paystationToken(req.query);
      try {
        return renderPaystationPage(await req.server.services.paystation.show(token), token);
      } catch (e) {
        if (e instanceof AppError && e.statusCode === 404)
          return reply.code(404).send(renderPaystationNotFound());
        throw e;
      }
    });
  for (const url of ['/paystation3/:locale/cache-warmup', '/paystation4/:locale/cache-warmup'])
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CSP)
        .header('cache-control', 'public, max-age=86400')
        .send(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pay station</title></head></html>\n',
        ),
    );
};
