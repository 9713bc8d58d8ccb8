/**
 * Clear start-up errors (issue 15 item 3): `itemshop serve` started with a malformed DATABASE_URL, an unknown
 * host, a refused connection, a PostgreSQL that never answers, a wrong password, an unknown database, or a port in
 * use prints ONE line on stderr — what is wrong and what to do — and exits with code 1. The password of
 * DATABASE_URL is never printed.
 *
 * The wrong password, unknown database and silent server are played by a small TCP server speaking the start of
 * the PostgreSQL protocol (an authentication request, then the error PostgreSQL sends), so the test needs no
 * PostgreSQL; the CLI runs as a real process (`node --import tsx src/cli.ts serve`).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `itemshop serve` with `env` and extra arguments until it exits. */
function serve(env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', ...args], {
      env: { ...process.env, DATA_DIR: 'memory://', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`itemshop serve did not exit: ${stdout}${stderr}`));
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

/** A PostgreSQL server that answers every connection with `behaviour`. */
async function fakePostgres(behaviour: 'wrong-password' | 'unknown-database' | 'silent'): Promise<{
  server: Server;
  port: number;
}> {
  const error = (code: string, message: string) => {
    const fields = Buffer.concat(
      [
        ['S', 'FATAL'],
        ['V', 'FATAL'],
        ['C', code],
        ['M', message],
      ].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
    );
    const body = Buffer.concat([fields, Buffer.from([0])]);
    const head = Buffer.alloc(5);
    head.write('E', 0);
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    if (behaviour === 'silent') return; // accepts, never answers
    let phase = 0;
    socket.on('data', () => {
      phase += 1;
      if (behaviour === 'unknown-database') {
        socket.end(error('3D000', 'database "shopdb" does not exist'));
      } else if (phase === 1) {
        // AuthenticationCleartextPassword: the client sends its password next.
        const auth = Buffer.alloc(9);
        auth.write('R', 0);
        auth.writeInt32BE(8, 1);
        auth.writeInt32BE(3, 5);
        socket.write(auth);
      } else {
        socket.end(error('28P01', 'password authentication failed for user "shop"'));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
const results = new Map<string, Run>();
let busyPort = 0;

const PASSWORD = 'pw-do-not-print';

beforeAll(async () => {
  const [wrongPassword, unknownDb, silent] = await Promise.all([
    fakePostgres('wrong-password'),
    fakePostgres('unknown-database'),
    fakePostgres('silent'),
  ]);
  servers.push(wrongPassword.server, unknownDb.server, silent.server);
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
  servers.push(busy);
  const refused = await closedPort();
  const cases: [string, Record<string, string>, string[]?][] = [
    ['not a url', { DATABASE_URL: 'base' }],
    ['another scheme', { DATABASE_URL: `http://shop:${PASSWORD}@db.example:5432/shopdb` }],
    ['unknown host', { DATABASE_URL: `postgres://shop:${PASSWORD}@db.invalid:5432/shopdb` }],
    ['refused', { DATABASE_URL: `postgres://shop:${PASSWORD}@127.0.0.1:${refused}/shopdb` }],
    [
      'no answer',
      {
        DATABASE_URL: `postgres://shop:${PASSWORD}@127.0.0.1:${silent.port}/shopdb`,
        DB_CONNECT_TIMEOUT_SECONDS: '1',
      },
    ],
    [
      'wrong password',
      { DATABASE_URL: `postgres://shop:${PASSWORD}@127.0.0.1:${wrongPassword.port}/shopdb` },
    ],
    ['unknown database', { DATABASE_URL: `postgres://shop:${PASSWORD}@127.0.0.1:${unknownDb.port}/shopdb` }],
    ['port in use', {}, ['--port', String(busyPort), '--host', '127.0.0.1']],
  ];
  // Two at a time: each is a process of its own (a few seconds of start-up on a busy machine).
  for (let i = 0; i < cases.length; i += 2) {
    await Promise.all(
      cases.slice(i, i + 2).map(async ([name, env, args]) => results.set(name, await serve(env, args))),
    );
  }
}, 300_000);
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** The run of `name`: exit code 1, exactly one line on stderr (returned), never the password. */
function failed(name: string): string {
  const run = results.get(name)!;
  expect(run.code, `${name}: ${run.stdout}${run.stderr}`).toBe(1);
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr + run.stdout).not.toContain(PASSWORD);
  return lines[0];
}

describe('itemshop serve with a bad start-up configuration', () => {
  it('says a DATABASE_URL that is not a URL is malformed and shows the expected form', () => {
    expect(failed('not a url')).toBe(
      'itemshop: cannot start: DATABASE_URL is not a valid URL ("base"): write it as postgres://user:password@host:5432/database, or unset it to use the embedded database',
    );
  });

  it('says a URL of another scheme is not a PostgreSQL URL', () => {
    expect(failed('another scheme')).toBe(
      'itemshop: cannot start: DATABASE_URL must be a PostgreSQL URL starting with postgres:// (got "http://…"): write it as postgres://user:password@host:5432/database',
    );
  });

  it('says an unknown host is unknown', () => {
    expect(failed('unknown host')).toBe(
      'itemshop: cannot start: cannot reach PostgreSQL: the host "db.invalid" in DATABASE_URL is not known (DNS lookup failed) — check the host name in DATABASE_URL',
    );
  });

  it('says a refused connection was refused, and where', () => {
    expect(failed('refused')).toMatch(
      /^itemshop: cannot start: cannot reach PostgreSQL at 127\.0\.0\.1:\d+: the connection was refused — start PostgreSQL, or fix the host and port in DATABASE_URL$/,
    );
  });

  it('gives up on a PostgreSQL that never answers after DB_CONNECT_TIMEOUT_SECONDS', () => {
    expect(failed('no answer')).toMatch(
      /^itemshop: cannot start: cannot reach PostgreSQL at 127\.0\.0\.1:\d+: no answer within 1 s — check the host and port in DATABASE_URL and that no firewall blocks it \(DB_CONNECT_TIMEOUT_SECONDS sets the wait\)$/,
    );
  });

  it('says the password was refused, without printing it', () => {
    expect(failed('wrong password')).toMatch(
      /^itemshop: cannot start: PostgreSQL at 127\.0\.0\.1:\d+ refused the password of user "shop" — fix the password in DATABASE_URL$/,
    );
  });

  it('says the database does not exist and how to create it', () => {
    expect(failed('unknown database')).toMatch(
      /^itemshop: cannot start: the database "shopdb" does not exist on PostgreSQL at 127\.0\.0\.1:\d+ — create it \(createdb shopdb\) or fix the database name in DATABASE_URL$/,
    );
  });

  it('says the port is in use and how to choose another', () => {
    expect(failed('port in use')).toBe(
      `itemshop: cannot start: port ${busyPort} is already in use (127.0.0.1:${busyPort}) — stop the program using it, or choose another port with --port <n> or PORT`,
    );
  });
});
