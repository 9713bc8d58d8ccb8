/**
 * Real `itemshop serve` processes for the multi-process tests (test/multiprocess/): started on a free port against
 * TEST_DATABASE_URL, ready once `/health/ready` answers, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers PING at REDIS_URL. */
export async function redisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  base: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts `itemshop serve` (extra args) on a free port and waits until it answers /health/ready — with `--workers N`,
 * also until the primary has printed its listening line, which it does once every worker listens (one worker answers
 * /health/ready before the others are up, and the cluster then routes every connection to it).
 */
export async function serve(extraEnv: Record<string, string>, args: string[] = []): Promise<Proc> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', ...args],
    {
      env: {
        ...process.env,
        DATABASE_URL: PG_URL,
        LOG_LEVEL: 'warn',
        CATALOG_SYNC_RECHECK_SECONDS: '0',
        REDIS_URL: '',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out}`);
    try {
      const everyWorker = !args.includes('--workers') || out.includes('Itemshop listening on');
      if (everyWorker && (await fetch(`${base}/health/ready`)).status === 200)
        return { base, child, output: () => out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not get ready: ${out}`);
}

export async function stop(p: Proc | undefined) {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}
