/**
 * Metrics of `itemshop serve --workers N` (ADR 0050): `GET /metrics` answered by any worker gives the metrics of
 * every worker, aggregated by the primary with prom-client's AggregatorRegistry — counters and histograms summed,
 * the database-wide gauges (outbox depth and age) taken as the maximum. The scraper needs one target, the shared
 * port. The worker that received the scrape asks the primary over the cluster IPC channel; the primary asks every
 * worker for its registries (prom-client's own messages) and answers with the aggregate.
 *
 * Workers are marked by the environment variable CLUSTER_METRICS_ENV, set by runCluster when it forks them, so a
 * process forked by another cluster manager (Itemshop embedded elsewhere) keeps answering its own metrics.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** Set to `1` in the environment of the workers of runCluster. */
export const CLUSTER_METRICS_ENV = 'ITEMSHOP_METRICS_FROM_PRIMARY';

const REQUEST = 'itemshop:metrics-request';
const RESPONSE = 'itemshop:metrics-response';
/** Longest wait for the aggregate (prom-client gives up on a silent worker after 5 s). */
const TIMEOUT_MS = 6000;

interface Request {
  type: typeof REQUEST;
  id: number;
}
interface Response {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

/** True in a worker whose `/metrics` is aggregated by the primary. */
export const metricsFromPrimary = () =>
  cluster.isWorker && process.env[CLUSTER_METRICS_ENV] === '1' && typeof process.send === 'function';

/** In a worker: report `registries` when the primary collects (prom-client's cluster protocol). */
export function reportToPrimary(registries: Registry[]): void {
  new AggregatorRegistry(); // installs the worker side of the protocol (idempotent)
  AggregatorRegistry.setRegistries(registries);
}

let nextId = 0;
const pending = new Map<number, (r: Response) => void>();
let listening = false;

/**
 * In a worker: the aggregated metrics of every worker, from the primary.
 * @throws Error when the primary does not answer within 6 s or reports a failure
 */
export function aggregatedFromPrimary(): Promise<string> {
  if (!listening) {
    listening = true;
    process.on('message', (m: Partial<Response>) => {
      if (m?.type === RESPONSE && typeof m.id === 'number') pending.get(m.id)?.(m as Response);
    });
  }
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the primary process did not answer with the aggregated metrics in time'));
    }, TIMEOUT_MS);
    pending.set(id, (r) => {
      clearTimeout(timer);
      pending.delete(id);
      if (r.error !== undefined) reject(new Error(r.error));
      else resolve(r.text ?? '');
    });
    process.send!({ type: REQUEST, id } satisfies Request);
  });
}

/** In the primary: answers the workers' requests for the aggregate. Returns a function that stops answering. */
export function serveAggregatedMetrics(): () => void {
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: Worker, m: Partial<Request>) => {
    if (m?.type !== REQUEST || typeof m.id !== 'number') return;
    const id = m.id;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: RESPONSE, id, text } satisfies Response),
      (e: unknown) =>
        worker.isConnected() &&
        worker.send({ type: RESPONSE, id, error: (e as Error)?.message ?? String(e) } satisfies Response),
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
