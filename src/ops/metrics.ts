/**
 * Prometheus metrics (issue 15 item 1, ADR 0050) with prom-client: one registry per app (tests build many apps in
 * one process; nothing is global but the process metrics), exposed as Prometheus text at `GET /metrics` by
 * ops/index.ts. Names and labels (all counters since the process started; amounts in currency units):
 *
 * - `itemshop_http_requests_total{operation,method,status}` and `itemshop_http_request_duration_seconds{…}`
 *   (histogram): every request, `operation` = the operation id (`doc_slug`) of the route, or a name derived from
 *   the path of routes outside the operations table (`health-ready`, `metrics`, `docs`…), `not-found` without one.
 * - `itemshop_orders_total{project_id,event}`: orders `created`, `paid`, `delivered`, `canceled` (by the buyer, a
 *   sweep of a limit or the admin, while unpaid), `refunded` (canceled after payment), `expired` — from
 *   OrdersService.onStatusChange (previous status, new status, actor).
 * - `itemshop_revenue_total{project_id,currency}`: real-money totals of paid orders (free orders excluded);
 *   `itemshop_refunds_total{project_id,currency}`: of refunded ones; `itemshop_virtual_currency_spent_total
 *   {project_id,currency}` (currency = the virtual currency's sku): virtual-currency purchases.
 * - `itemshop_webhook_deliveries_total{outcome}` (`delivered`, `retry`, `failed`, `discarded`) and
 *   `itemshop_webhook_delivery_duration_seconds` (histogram of attempts) — this process's worker;
 *   `itemshop_webhook_outbox_pending` and `itemshop_webhook_outbox_oldest_pending_age_seconds`: the outbox in the
 *   database (every process reports the same value; the cluster aggregate takes the maximum).
 * - `itemshop_catalog_snapshot_loads_total{kind}` (`full`, `delta`), `itemshop_catalog_snapshot_load_duration_seconds
 *   {kind}` and `itemshop_catalog_snapshot_items{kind}` (histograms: time and size of each load),
 *   `itemshop_catalog_page_cache_requests_total{result}` (`hit`, `miss`: page and item bodies served from the
 *   rendered-bytes cache or rendered for the request).
 * - `itemshop_db_pool_connections_in_use`, `itemshop_db_pool_connections_waiting`, `itemshop_db_pool_connections_max`.
 * - `itemshop_info{version,engine}` = 1, and the process metrics of prom-client (`process_*`, `nodejs_*`: CPU,
 *   memory, GC, handles, event-loop lag `nodejs_eventloop_lag_seconds` and its percentiles).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogStore } from '../catalog/store.js';
import type { Database } from '../db/index.js';
import type { OrderStatusChange } from '../modules/orders/model.js';
import type { OrdersService } from '../modules/orders/service.js';
import type { WebhooksService } from '../modules/webhooks/service.js';

/** What the metrics observe. */
export interface MetricsSources {
  orders: Pick<OrdersService, 'onStatusChange'>;
  webhooks: Pick<WebhooksService, 'outboxStats' | 'worker'>;
  catalog: Pick<CatalogStore, 'onLoad' | 'pageCache'>;
  database: Pick<Database, 'engine' | 'poolStats'>;
}

/** Seconds buckets of request latencies (1 ms … 10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * The process metrics (`process_*`, `nodejs_*`), created once per process: they describe the process, not an
 * app, and their event-loop monitor must not be started again for every app a test builds.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The order event counted for a status change (see the module comment); null for none. */
export function orderEvent(change: OrderStatusChange): string | null {
  switch (change.order.status) {
    case 'new':
      return 'created';
    case 'paid':
      return 'paid';
    case 'done':
      return 'delivered';
    case 'expired':
      return 'expired';
    case 'canceled':
      return change.previous === 'paid' || change.previous === 'done' ? 'refunded' : 'canceled';
    default:
      return null;
  }
}

/** The metrics of one app: its registry, fed by the listeners it subscribes and by observeRequest. */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'method' | 'status'>;
  private readonly latency: Histogram<'operation' | 'method' | 'status'>;
  private readonly unsubscribe: (() => void)[] = [];

  /** @param version the package version (label of `itemshop_info`) */
  constructor(sources: MetricsSources, version: string) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'itemshop_http_requests_total',
      help: 'HTTP requests answered, by operation id (doc_slug), method and status.',
      labelNames: ['operation', 'method', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'itemshop_http_request_duration_seconds',
      help: 'Time from the request arriving to the response sent, in seconds, by operation id, method and status.',
      labelNames: ['operation', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });

    new Gauge({
      name: 'itemshop_info',
      help: 'Version of Itemshop and the database engine (value 1).',
      labelNames: ['version', 'engine'],
      registers,
      aggregator: 'max',
    }).set({ version, engine: sources.database.engine }, 1);

    // Orders and money, from the one order-status mechanism.
    const orders = new Counter({
      name: 'itemshop_orders_total',
      help: 'Orders by project and event: created, paid, delivered, canceled, refunded, expired.',
      labelNames: ['project_id', 'event'],
      registers,
    });
    const revenue = new Counter({
      name: 'itemshop_revenue_total',
      help: 'Total of paid real-money orders, in currency units, by project and currency.',
      labelNames: ['project_id', 'currency'],
      registers,
    });
    const refunds = new Counter({
      name: 'itemshop_refunds_total',
      help: 'Total of refunded real-money orders, in currency units, by project and currency.',
      labelNames: ['project_id', 'currency'],
      registers,
    });
    const virtualSpent = new Counter({
      name: 'itemshop_virtual_currency_spent_total',
      help: 'Virtual currency spent on paid orders, by project and virtual currency sku.',
      labelNames: ['project_id', 'currency'],
      registers,
    });
    this.unsubscribe.push(
      sources.orders.onStatusChange((change) => {
        const event = orderEvent(change);
        if (!event) return;
        const { order } = change;
        const project_id = String(order.project_id);
        orders.inc({ project_id, event });
        if (order.is_free || !order.currency) return;
        const amount = Number(order.amount);
        if (!Number.isFinite(amount) || amount <= 0) return;
        const labels = { project_id, currency: order.currency };
        if (event === 'paid' && order.currency_type === 'real') revenue.inc(labels, amount);
        else if (event === 'paid' && order.currency_type === 'virtual') virtualSpent.inc(labels, amount);
        else if (event === 'refunded' && order.currency_type === 'real') refunds.inc(labels, amount);
      }),
    );

    // The database pool.
    const pool = (pick: (s: ReturnType<Database['poolStats']>) => number) =>
      function (this: Gauge) {
        this.set(pick(sources.database.poolStats()));
      };
    new Gauge({
      name: 'itemshop_db_pool_connections_in_use',
      help: 'Database connections running a query or a transaction.',
      registers,
      collect: pool((s) => s.inUse),
    });
    new Gauge({
      name: 'itemshop_db_pool_connections_waiting',
      help: 'Callers waiting for a database connection.',
      registers,
      collect: pool((s) => s.waiting),
    });
    new Gauge({
      name: 'itemshop_db_pool_connections_max',
      help: 'Largest number of database connections of the pool (DB_POOL_SIZE; 1 on PGlite).',
      registers,
      collect: pool((s) => s.max),
    });
    // Webhooks: this process's attempts, and the outbox in the database (read once per scrape).
    const deliveries = new Counter({
      name: 'itemshop_webhook_deliveries_total',
      help: 'Webhook attempts of this process by outcome: delivered, retry, failed, discarded.',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['delivered', 'retry', 'failed', 'discarded']) deliveries.inc({ outcome }, 0);
    const attemptSeconds = new Histogram({
      name: 'itemshop_webhook_delivery_duration_seconds',
      help: 'Time a webhook receiver took to answer (or fail), in seconds.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.unsubscribe.push(
      sources.webhooks.worker.onAttempt((e) => {
        deliveries.inc({ outcome: e.outcome });
        if (e.outcome !== 'discarded') attemptSeconds.observe(e.seconds);
      }),
    );
    let outbox:
      { at: number; stats: Promise<{ pending: number; oldestAgeSeconds: number } | null> } | undefined;
    const outboxStats = () => {
      const now = Date.now();
      if (!outbox || now - outbox.at > 500)
        outbox = { at: now, stats: sources.webhooks.outboxStats().catch(() => null) };
      return outbox.stats;
    };
    new Gauge({
      name: 'itemshop_webhook_outbox_pending',
      help: 'Webhook events waiting to be sent (every project and process; absent when the database does not answer).',
      registers,
      aggregator: 'max',
      async collect() {
        this.reset();
        const s = await outboxStats();
        if (s) this.set(s.pending);
      },
    });
    new Gauge({
      name: 'itemshop_webhook_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest webhook event waiting to be sent, in seconds (0 when none).',
      registers,
      aggregator: 'max',
      async collect() {
        this.reset();
        const s = await outboxStats();
        if (s) this.set(s.oldestAgeSeconds);
      },
    });

    // Catalog snapshots and the rendered-page cache.
    const loads = new Counter({
      name: 'itemshop_catalog_snapshot_loads_total',
      help: 'Catalog snapshot loads: full (whole catalog read) or delta (changed items only).',
      labelNames: ['kind'],
      registers,
    });
    for (const kind of ['full', 'delta']) loads.inc({ kind }, 0);
    const loadSeconds = new Histogram({
      name: 'itemshop_catalog_snapshot_load_duration_seconds',
      help: 'Time of a catalog snapshot load, in seconds.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const loadItems = new Histogram({
      name: 'itemshop_catalog_snapshot_items',
      help: 'Items in a loaded catalog snapshot (its size).',
      labelNames: ['kind'],
      buckets: [10, 100, 1000, 10_000, 100_000, 1_000_000],
      registers,
    });
    this.unsubscribe.push(
      sources.catalog.onLoad((load) => {
        loads.inc({ kind: load.kind });
        loadSeconds.observe({ kind: load.kind }, load.seconds);
        loadItems.observe({ kind: load.kind }, load.items);
      }),
    );
    const cache = sources.catalog.pageCache;
    new Counter({
      name: 'itemshop_catalog_page_cache_requests_total',
      help: 'Catalog page and item bodies served from the rendered-bytes cache (hit) or rendered (miss).',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, cache.hits);
        this.inc({ result: 'miss' }, cache.misses);
      },
    });
  }

  /** Counts one answered request: its operation id, method, status and time in seconds. */
  observeRequest(operation: string, method: string, status: number, seconds: number): void {
    const labels = { operation, method, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  /** The registries of this app: process metrics first, then the app's. */
  registries(): Registry[] {
    return [processMetrics(), this.registry];
  }

  /** Prometheus text of the process and the app metrics. */
  async text(): Promise<string> {
    const parts = await Promise.all(this.registries().map((r) => r.metrics()));
    return parts.join('\n');
  }

  /** Content type of text(). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Stops listening to the services (the app closes). */
  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }
}
