/**
 * The webhook delivery worker (DESIGN §5 transactional outbox, §9 graceful shutdown). Started by the app when it
 * is ready (config WEBHOOK_WORKER), woken after every commit that wrote an event, and otherwise polling every
 * WEBHOOK_POLL_INTERVAL_MS (events written by other processes) or sooner when a retry falls due.
 *
 * A pass runs up to WEBHOOK_CONCURRENCY deliveries at once. Each delivery claims ONE due outbox row just before its
 * attempt (FOR UPDATE SKIP LOCKED + a lease: repository.claimNext, committed before the POST), so two processes
 * never send one row at the same time and this process never holds more claims than deliveries in flight; it POSTs
 * the row's exact stored bytes to the project's current webhook URL with `Content-Type: application/json` and
 * `Authorization: Signature <sha1(body + secret)>`, then records the outcome and the attempt in one statement.
 * Outcome per answer (the real service's rules, spec/NOTES.md):
 * - 200, 201, 204: delivered;
 * - 400, 401, 402, 403, 404, 409, 415, 422: failed, never retried;
 * - anything else, a network error or no answer within WEBHOOK_TIMEOUT_MS: retried after the next wait of the
 *   row's schedule (WEBHOOK_RETRY_SCHEDULE when it was written), failed once the schedule is used up.
 * Every attempt is recorded (webhook_attempts). A row whose project has disabled or removed its webhook by the time
 * it is due is discarded unsent. Rows live in the database: a process killed between the commit and the send
 * leaves them pending, and the next worker to start sends them; a row claimed by a process that died is sent
 * again when its lease ends (2 × timeout + 10 s) — delivery is at least once, receivers deduplicate by order id.
 * Only rows whose attempt was in flight are claimed, so a crash resends at most WEBHOOK_CONCURRENCY webhooks per
 * process (issue 13 §6; before, a whole claimed batch of 10 waited for its lease and was resent).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { signatureHeader } from './signature.js';
import { webhooksRepository as repo, type ClaimedDelivery } from './repository.js';

/** Answers that mean "delivered". */
export const DELIVERED_STATUSES: ReadonlySet<number> = new Set([200, 201, 204]);
/** Answers that mean "do not retry". */
export const FINAL_FAILURE_STATUSES: ReadonlySet<number> = new Set([400, 401, 402, 403, 404, 409, 415, 422]);

/** Longest part of a receiver's answer kept with the attempt, in characters. */
const SNIPPET_CHARS = 500;
/** Deliveries in flight at once per process when WEBHOOK_CONCURRENCY is not given. */
export const DEFAULT_CONCURRENCY = 4;
/** Longest flush on stop, in timeouts (WEBHOOK_TIMEOUT_MS): rows still due after it wait for the next start. */
const FLUSH_MS_PER_TIMEOUT = 3;
/** Shortest wait between two passes, ms (no busy loop when a due row is held by another process). */
const MIN_WAIT_MS = 20;

export interface WebhookWorkerOptions {
  /** Longest wait for an answer, ms. */
  timeoutMs: number;
  /** Longest wait between two looks at the outbox, ms. */
  pollIntervalMs: number;
  /**
   * Most deliveries in flight at once (each holds one claimed row): the most webhooks a crash of this process can
   * resend. Default DEFAULT_CONCURRENCY.
   */
  concurrency?: number;
}

/** One delivery attempt, or a discarded event, as told to onAttempt listeners (metrics). */
export interface WebhookAttemptEvent {
  /** `delivered`, `retry` (failed, will be retried), `failed` (not retried), `discarded` (webhook disabled). */
  outcome: 'delivered' | 'retry' | 'failed' | 'discarded';
  /** Time the receiver took to answer (or to fail), seconds; 0 for a discarded event. */
  seconds: number;
  /** HTTP status of the answer; null for a network error, a timeout or a discarded event. */
  status: number | null;
}

type Log = Pick<FastifyBaseLogger, 'error' | 'warn' | 'debug'>;
const silent: Log = { error: () => {}, warn: () => {}, debug: () => {} };

/** What one HTTP attempt gave. */
interface AttemptResult {
  status: number | null;
  error: string | null;
  snippet: string | null;
}

function describeError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return String(err?.cause?.code ?? err?.cause?.message ?? err?.message ?? e).slice(0, SNIPPET_CHARS);
}

export class WebhookWorker {
  private log: Log = silent;
  private started = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A wake arrived while a pass was running: run another one right after. */
  private again = false;
  /** Events were committed by this process since the last pass began (flushed on stop). */
  private woken = false;
  private readonly attemptListeners = new Set<(e: WebhookAttemptEvent) => void>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: WebhookWorkerOptions,
  ) {}

  /** Claim lease: an attempt takes at most the timeout; the rest is margin for recording it on a busy database. */
  get leaseMs(): number {
    return 2 * this.options.timeoutMs + 10_000;
  }

  /** Tells `listener` of every attempt this worker makes (after it is recorded). Returns the unsubscribe function. */
  onAttempt(listener: (e: WebhookAttemptEvent) => void): () => void {
    this.attemptListeners.add(listener);
    return () => this.attemptListeners.delete(listener);
  }

  private tell(e: WebhookAttemptEvent) {
    for (const listener of this.attemptListeners) {
      try {
        listener(e);
      } catch {
        // an observer's failure must not stop deliveries
      }
    }
  }

  /** Most deliveries this worker has in flight at once (WEBHOOK_CONCURRENCY). */
  get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** Starts polling (idempotent). */
  start(log?: Log): void {
    if (this.started || this.stopping) return;
    if (log) this.log = log;
    this.started = true;
    this.schedule(0);
  }

  /** Something was committed to the outbox: look now (no-op before start and after stop). */
  wake(): void {
    this.woken = true;
    if (!this.started || this.stopping) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /**
   * Stops polling, waits for the attempts in flight, then flushes: when events were committed since the last
   * pass, one more pass sends what is due, for at most 3 × WEBHOOK_TIMEOUT_MS (what remains is sent after the
   * next start). Idempotent.
   */
  async stop(): Promise<void> {
    const wasStarted = this.started;
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (wasStarted && this.woken) {
      this.woken = false;
      try {
        await this.drain(Date.now() + FLUSH_MS_PER_TIMEOUT * this.options.timeoutMs);
      } catch (e) {
        this.log.error({ err: e }, 'webhook worker: flush on shutdown failed');
      }
    }
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, ms));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    let wait = this.options.pollIntervalMs;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.woken = false;
          await this.drain();
        } while (this.again && !this.stopping);
        const due = await repo.msUntilNextDue(this.db);
        if (due !== null) wait = Math.max(MIN_WAIT_MS, Math.min(wait, due));
      } catch (e) {
        this.log.error({ err: e }, 'webhook worker: pass failed');
      }
    })();
    await this.running;
    this.running = undefined;
    this.schedule(wait);
  }

  /**
   * Sends due events until none is due, with up to `concurrency` deliveries in flight: one delivery starts, and
   * each time one finds an event another starts beside it (up to the limit), so an empty outbox costs one query.
   * Every delivery claims its own row right before its attempt. While the worker is stopping it goes on only until
   * `flushDeadline` (ms since epoch; none: each delivery in flight finishes and nothing new starts).
   * @throws the first database error of a delivery (after every delivery in flight ended)
   */
  private async drain(flushDeadline?: number): Promise<number> {
    let sent = 0;
    let failure: { error: unknown } | undefined;
    const running = new Set<Promise<void>>();
    const goOn = () =>
      failure === undefined &&
      (!this.stopping || (flushDeadline !== undefined && Date.now() < flushDeadline));
    const lane = async () => {
      while (goOn()) {
        const token = randomUUID();
        const event = await repo.claimNext(this.db, { leaseMs: this.leaseMs, token });
        if (!event) return;
        if (running.size < this.concurrency) start(); // one was due: more may be
        if (await this.deliver(event, token)) sent++;
      }
    };
    const start = () => {
      const p: Promise<void> = lane()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(p));
      running.add(p);
    };
    start();
    while (running.size > 0) await Promise.all([...running]);
    if (failure) throw failure.error;
    return sent;
  }

  /** Sends one claimed event and records the attempt; false when it was discarded unsent. */
  private async deliver(event: ClaimedDelivery, token: string): Promise<boolean> {
    if (!event.is_enabled || event.url === null || event.secret === null) {
      await repo.discard(this.db, event.event_id, token, 'webhooks are disabled or not set for the project');
      this.tell({ outcome: 'discarded', seconds: 0, status: null });
      return false;
    }
    const attempt = event.attempts + 1;
    const attemptedAt = new Date();
    const started = performance.now();
    const result = await this.post(event.url, event.body, event.secret);
    const durationMs = Math.round(performance.now() - started);
    const delays = Array.isArray(event.retry_delays_ms) ? event.retry_delays_ms : [];
    let outcome: 'delivered' | 'retry' | 'failed';
    if (result.status !== null && DELIVERED_STATUSES.has(result.status)) outcome = 'delivered';
    else if (result.status !== null && FINAL_FAILURE_STATUSES.has(result.status)) outcome = 'failed';
    else outcome = attempt > delays.length ? 'failed' : 'retry';
    const held = await repo.finish(
      this.db,
      event.event_id,
      token,
      {
        status: outcome === 'retry' ? 'pending' : outcome,
        attempts: attempt,
        retryInMs: outcome === 'retry' ? delays[attempt - 1] : undefined,
        last_status_code: result.status,
        last_error: result.error,
      },
      {
        url: event.url,
        attempted_at: attemptedAt,
        duration_ms: durationMs,
        status_code: result.status,
        error: result.error,
        response_snippet: result.snippet,
        outcome,
      },
    );
    if (!held)
      this.log.warn({ eventId: event.event_id }, 'webhook worker: claim lost before the attempt ended');
    this.log.debug(
      { eventId: event.event_id, orderId: event.order_id, attempt, status: result.status, outcome },
      'webhook attempt',
    );
    this.tell({ outcome, seconds: durationMs / 1000, status: result.status });
    return true;
  }

  /** One POST of `body`; never throws. */
  private async post(url: string, body: string, secret: string): Promise<AttemptResult> {
    let status: number | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: signatureHeader(body, secret),
          'user-agent': 'Itemshop-Webhooks/1',
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      const text = await res.text();
      return { status, error: null, snippet: text.slice(0, SNIPPET_CHARS) };
    } catch (e) {
      return { status, error: describeError(e, this.options.timeoutMs), snippet: null };
    }
  }
}
