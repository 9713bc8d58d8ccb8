/**
 * Helpers of the multi-process tests that drive real `itemshop serve` processes on the test PostgreSQL
 * (TEST_DATABASE_URL): start one on a free port and wait until ready, stop it, a fresh project with an admin key,
 * and HTTP calls on a new connection each (so a `--workers N` cluster spreads them over its workers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { basic } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

export interface Proc {
  base: string;
  child: ChildProcess;
  output: () => string;
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

/** Starts `itemshop serve` (extra args) on the test PostgreSQL and a free port; waits for /health/ready. */
export async function serve(extraEnv: Record<string, string>, args: string[] = []): Promise<Proc> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', ...args],
    {
      env: {
        ...process.env,
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        LOG_LEVEL: 'warn',
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
      if ((await fetch(`${base}/health/ready`)).status === 200) return { base, child, output: () => out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not get ready: ${out}`);
}

/** Stops a server with SIGTERM and waits for it to exit. */
export async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

export interface Project {
  projectId: number;
  /** `Authorization` header of the project's admin key. */
  auth: string;
  tenancy: TenancyService;
}

/** A fresh merchant and project with an admin key, written straight into the test database. */
export async function newProject(): Promise<Project> {
  const tenancy = new TenancyService((await testDatabase()).db);
  const tag = randomBytes(4).toString('hex');
  const merchantId = await tenancy.createMerchant(`mp-merchant-${tag}`);
  const projectId = await tenancy.createProject(merchantId, `mp-project-${tag}`);
  const key = await tenancy.createApiKey(merchantId, projectId, 'mp');
  return { projectId, auth: basic(projectId, key), tenancy };
}

/** A user JWT of the project. */
export async function userToken(p: Project, userId: string): Promise<string> {
  return p.tenancy.mintUserToken((await p.tenancy.getProject(p.projectId))!, userId);
}

export interface Answer {
  status: number;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP call on a new connection (`Connection: close`); a JSON body when `body` is not a string. */
export function call(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const data =
    body === undefined ? undefined : typeof body === 'string' ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(data !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
