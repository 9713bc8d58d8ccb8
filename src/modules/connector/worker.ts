/**
 * The import worker of one app process: runs unfinished imports one after another (ImportService.runNext), woken
 * at once when this process stores one and otherwise polling for those of other processes. `stop` lets the entry
 * in progress finish, gives the import back (so the next start, here or elsewhere, resumes it at once) and
 * resolves when the worker is idle.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** What the worker drives (ImportService): runs the next unfinished import; false when there was none. */
export interface ImportRunner {
  runNext(owner: string, signal?: AbortSignal): Promise<boolean>;
}

/** What the worker logs with (pino / Fastify's logger fit). */
export interface WorkerLogger {
  error(obj: unknown, msg?: string): void;
}

export class ImportWorker {
  /** This worker's name in the jobs' `locked_by`. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private stopped = true;
  private abort = new AbortController();
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private again = false;

  constructor(
    private readonly service: ImportRunner,
    private readonly pollMs: number,
    private readonly log?: WorkerLogger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.wake();
  }

  /** Looks for work now (or right after the current run). */
  wake(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
      if (this.stopped) return;
      const delay = this.again ? 0 : this.pollMs;
      this.again = false;
      this.timer = setTimeout(() => this.wake(), delay);
      this.timer.unref();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.loop;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.service.runNext(this.owner, this.abort.signal)));
    } catch (e) {
      this.log?.error({ err: e }, 'import worker: a run failed; the import is resumed when its lease ends');
    }
  }
}
