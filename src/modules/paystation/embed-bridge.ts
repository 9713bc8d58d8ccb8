/**
 * The pay station page's side of the embed widget protocol (ADR 0035): when the page runs inside a widget's iframe
 * or in a window the widget opened, it talks to that widget with the window messages Xsolla's Pay Station sends —
 * JSON strings `{"command": <name>, "data": <object>}` posted to `window.parent` (iframe) or `window.opener`
 * (new window) — so both Itemshop's widget (`/embed/paystation/<version>/widget.min.js`) and Xsolla's own widget
 * pointed at Itemshop's host receive the same events:
 *
 * - on load: `widget-detection` (the widget answers `widget-detected`; the page then shows a Close button that
 *   sends `close`) and `dimensions` `{dimensions: {width, height}}` in CSS pixels (the widget sizes its lightbox);
 * - after Pay, Fail or Cancel answered 2xx: `status` `{paymentInfo: {status, order_id, project_id}}`, where
 *   `status` is `done` (order done), `delivering` (paid, not yet delivered), `troubled` (the payment failed and the
 *   order still awaits one), `canceled` or `expired`. The widget turns `done`, `delivering`, `troubled` and
 *   `invoice` into its `status-done`, `status-delivering`, `status-troubled` and `status-invoice` events.
 *
 * The page's own script announces an action's result with the DOM event PAYSTATION_RESULT_EVENT
 * (`detail: {action: 'pay' | 'fail' | 'cancel', order: <PaystationOrder JSON>}`) on `document`; this script is the
 * only listener. A page opened directly (no parent, no opener) sends nothing.
 */

/** Name of the DOM event the page dispatches on `document` after an action succeeded. */
export const PAYSTATION_RESULT_EVENT = 'itemshop:paystation-result';

/** The inline script (no `<script>` tag) added to the pay station page. */
export const EMBED_BRIDGE_SCRIPT = `
(function () {
  var target = window.parent !== window ? window.parent : window.opener;
  if (!target) return;
  function send(command, data) {
    try { target.postMessage(JSON.stringify({ command: command, data: data || {} }), '*'); } catch (e) {}
  }
  function paymentStatus(action, order) {
    switch (order.status) {
      case 'done': return 'done';
      case 'paid': return 'delivering';
      case 'new': return action === 'fail' ? 'troubled' : 'invoice';
      default: return order.status;
    }
  }
  document.addEventListener(${JSON.stringify(PAYSTATION_RESULT_EVENT)}, function (e) {
    var d = e.detail || {};
    if (!d.order) return;
    send('status', { paymentInfo: {
      status: paymentStatus(d.action, d.order), order_id: d.order.order_id, project_id: d.order.project_id
    } });
  });
  var closeShown = false;
  window.addEventListener('message', function (e) {
    if (e.source !== target || typeof e.data !== 'string') return;
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (!m || m.command !== 'widget-detected' || closeShown) return;
    closeShown = true;
    var close = document.createElement('button');
    close.id = 'close-widget';
    close.type = 'button';
    close.textContent = 'Close';
    close.style.cssText = 'display:block;width:100%;margin-top:12px;background:#fff;border:1px solid #d1d5db;color:#1f2937';
    close.addEventListener('click', function () { send('close'); });
    var main = document.querySelector('main');
    if (main) main.appendChild(close);
  });
  var main = document.querySelector('main');
  send('widget-detection');
  send('dimensions', { dimensions: {
    width: Math.ceil((main ? main.offsetWidth : document.documentElement.scrollWidth) + 40),
    height: Math.ceil((main ? main.offsetHeight : document.documentElement.scrollHeight) + 80)
  } });
})();
`;
