/**
 * Starting and stopping the measured servers as child processes: Itemshop (compiled `dist` CLI, or the sources
 * through tsx), the plain baseline P and the ceiling C. Each is pinned to core 0 when `taskset` exists (the load
 * generator takes core 1). `ready` is the time from spawn to the first successful answer of `probePath`
 * (for Itemshop: listening, migrated and the catalog snapshot loaded and rendered).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export type ServerKind = 'ours' | 'plain' | 'ceiling';

export interface RunningServer {
  kind: ServerKind;
  url: string;
  pid: number;
  /** ms from spawn to the first 200 on the probe path. */
  readyMs: number;
  /** ms from spawn to the first 200 on /health/live (listening). */
  listenMs: number;
  /** Resident set size now and its peak (VmHWM), in MB; null where /proc is absent. */
  memory(): { rss: number | null; peak: number | null };
  /** CPU time the process has used (user + system), in ms; null where /proc is absent. */
  cpuMs(): number | null;
  stop(): Promise<void>;
  /** Lines the process wrote on stderr (shown when it fails). */
  stderr(): string;
}

/** True when the machine can pin the server and the load generator to different cores. */
export const canPin = (() => {
  if (process.env.BENCH_NO_PIN) return false;
  return cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
})();

/** `cmd args` pinned to `core` when possible. */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  return canPin ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
}

const TSX = ['--import', 'tsx'];

function command(kind: ServerKind, oursEntry: string): string[] {
  switch (kind) {
    case 'ours':
      return oursEntry.endsWith('.ts') ? [...TSX, oursEntry, 'serve'] : [oursEntry, 'serve'];
    case 'plain':
      return [...TSX, 'bench/plain/server.ts'];
    case 'ceiling':
      return [...TSX, 'bench/ceiling/server.ts'];
  }
}

/** utime + stime of `pid` from /proc (clock ticks of 10 ms on Linux), in ms. */
function cpuOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // fields 14 and 15 of stat(5), after pid and comm
  } catch {
    return null;
  }
}

function memoryOf(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    const mb = (v: number) => (Number.isFinite(v) ? Math.round(v / 1024) : null);
    return { rss: mb(kb('VmRSS')), peak: mb(kb('VmHWM')) };
  } catch {
    return { rss: null, peak: null };
  }
}

/**
 * Spawns the server and waits until `probePath` answers 200 (at most `timeoutMs`).
 * @throws Error with the server's stderr when it exits or does not get ready in time.
 */
export async function startServer(
  kind: ServerKind,
  opts: { port: number; env: NodeJS.ProcessEnv; probePath: string; oursEntry: string; timeoutMs?: number },
): Promise<RunningServer> {
  const [cmd, args] = pinned(0, process.execPath, command(kind, opts.oursEntry));
  const started = performance.now();
  const child: ChildProcess = spawn(cmd, args, {
    env: { ...process.env, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = started + (opts.timeoutMs ?? 120_000);
  let readyMs = -1;
  let listenMs = -1;
  while (performance.now() < deadline && !exited) {
    try {
      if (listenMs < 0) {
        const live = await fetch(`${url}/health/live`);
        await live.arrayBuffer();
        if (live.status !== 200) throw new Error('not live');
        listenMs = performance.now() - started;
      }
      const res = await fetch(url + opts.probePath);
      await res.arrayBuffer();
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const server: RunningServer = {
    kind,
    url,
    pid: child.pid!,
    readyMs,
    listenMs,
    memory: () => memoryOf(child.pid!),
    cpuMs: () => cpuOf(child.pid!),
    stderr: () => err,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
  if (readyMs < 0) {
    await server.stop();
    throw new Error(`${kind} server did not get ready on ${url}${opts.probePath}:\n${err}`);
  }
  return server;
}
