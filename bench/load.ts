/**
 * The load generator, run as its own process (pinned to the other core than the server when `taskset` exists):
 * reads a job file, drives autocannon, prints one JSON line with the result on stdout.
 *
 *   node --import tsx bench/load.ts <job.json>
 *
 * A job lists prepared requests; `order: 'random'` picks one at random per request (reads), `'sequence'` sends
 * them in order, each once per pass (writes: key codes, idempotency keys), wrapping around when a timed run
 * outlasts the list.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface PreparedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  /** Origin of the server, e.g. `http://127.0.0.1:8081`. */
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** Exact number of requests to send (then the run ends). */
  amount?: number;
  order: 'random' | 'sequence';
  requests: PreparedRequest[];
}

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  /** Socket errors and timeouts (no response at all). */
  errors: number;
  /** Requests that got a response. */
  total: number;
  /** Seconds the run lasted. */
  seconds: number;
}

/** Runs `job` in this process (the runner calls it through a child process). */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const reqs = job.requests;
  let next = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.duration,
    ...(job.amount ? { amount: job.amount } : {}),
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => {
          const r =
            job.order === 'random'
              ? reqs[Math.floor(Math.random() * reqs.length)]
              : reqs[next++ % reqs.length];
          req.method = r.method;
          req.path = r.path;
          req.headers = { ...(r.body ? { 'content-type': 'application/json' } : {}), ...r.headers };
          req.body = r.body;
          return req;
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number(s.count);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
    total: Object.values(statuses).reduce((a, b) => a + b, 0),
    seconds: result.duration,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadJob;
  const res = await runLoad(job);
  process.stdout.write(`${JSON.stringify(res)}\n`);
}
