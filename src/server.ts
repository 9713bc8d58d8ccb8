/**
 * The server entry (DESIGN §2, §9): config → buildApp → listen → (demo seed), and a graceful close on SIGINT and
 * SIGTERM — stop accepting connections, let requests in flight finish, then `app.close()`, which closes the
 * database and releases the PGlite data-directory lock (src/db/lock.ts).
 *
 * startServer throws on any startup failure (the app and its database are closed first, so the lock is
 * released); runServer is what the CLI calls: it prints such a failure as one line on stderr — e.g. a data
 * directory locked by another process (DataDirLockedError) or one that was never fully initialized, a PostgreSQL
 * that cannot be reached or refuses the connection (src/db/connect.ts), a port in use (src/ops/startup-errors.ts)
 * — and reports exit code 1.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { Durability } from './db/index.js';
import {
  demoCredentialsFile,
  formatDemoBanner,
  issueDemoCredentials,
  type DemoCredentials,
} from './demo/credentials.js';
import { seedDemo, type DemoSeedResult } from './demo/seed.js';
import { describeListenError } from './ops/startup-errors.js';

export interface ServerOptions {
  /** Install SIGINT/SIGTERM handlers that close gracefully and then exit the process. Default true. */
  handleSignals?: boolean;
  /** Longest graceful shutdown after a signal before a forced exit(1), in ms. Default 10 000. */
  shutdownTimeoutMs?: number;
  /** Receives the human-readable startup text (listening line, demo credentials). Default: stdout. */
  print?: (text: string) => void;
}

export interface ServerHandle {
  app: FastifyInstance;
  /** The port actually bound (differs from config.port when that is 0). */
  port: number;
  /** Base URL shown to users: PUBLIC_URL, else http://localhost:<port> (or the bound host). */
  url: string;
  /** Present when the server runs with the demo enabled. */
  demo?: DemoSeedResult & { credentials: DemoCredentials };
  /** Graceful close (idempotent): stop accepting, finish in-flight requests, close the DB and its lock. */
  close(): Promise<void>;
}

/**
 * Base URL shown to users: PUBLIC_URL, else http://<host>:<port> (localhost for a wildcard host) — https:// when
 * the server has a TLS certificate (TLS_CERT_FILE).
 */
export function baseUrl(config: Config, port: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const wildcard = ['0.0.0.0', '::', ''].includes(config.host);
  const host = wildcard ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tlsCertFile ? 'https' : 'http'}://${host}:${port}`;
}

/** Where the data lives and what an acknowledged write survives there (ADR 0042). */
export function storageLine(config: Config, d: Durability): string {
  if (config.databaseUrl) {
    const settings = `fsync ${d.fsync ? 'on' : 'off'}, synchronous_commit ${d.synchronousCommit}`;
    return `PostgreSQL (DATABASE_URL; ${settings})`;
  }
  if (config.dataDir.startsWith('memory://')) return 'PGlite in memory (nothing is kept)';
  const flush = d.fsync
    ? 'flushed to disk at every commit'
    : 'PGLITE_FSYNC=false: not flushed at commit, a power cut can lose recent writes';
  return `PGlite in ${resolve(config.dataDir)} (${flush})`;
}

/**
 * Builds the app, listens on config.host:config.port, seeds the demo store when `config.demo` and prints where.
 * @throws DataDirLockedError (another process uses the PGlite directory), DatabaseStartupError (PostgreSQL
 *   unreachable, wrong password…), Error (half-initialized data directory, failed migration, port in use, invalid
 *   demo data) — after closing whatever was opened.
 */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<ServerHandle> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const app = await buildApp(config);
  let demo: ServerHandle['demo'];
  let port: number;
  try {
    await app.listen({ port: config.port, host: config.host }).catch((e: unknown) => {
      throw describeListenError(e, config.host, config.port);
    });
    port = (app.server.address() as { port: number }).port;
    // Seeded once the port is known: the demo's picture URLs are absolute on the base URL (src/demo/images.ts).
    const seeded = config.demo
      ? await seedDemo(app.services, undefined, undefined, { baseUrl: baseUrl(config, port) })
      : undefined;
    if (seeded) {
      demo = {
        ...seeded,
        credentials: await issueDemoCredentials(
          app.services.tenancy,
          seeded.projectId,
          (userId) => app.services.orders.createDemoOrder(seeded.projectId, userId, 'sword'),
          demoCredentialsFile(config), // the same key and JWT on every start of a PGlite data directory
        ),
      };
      app.ops.demo = demo.credentials; // /docs and GET / use them (src/ops)
    }
  } catch (e) {
    await app.close();
    throw e;
  }
  const url = baseUrl(config, port);

  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    app.log.info({ signal }, 'shutting down: refusing new connections, finishing requests in flight');
    setTimeout(() => {
      app.log.error('graceful shutdown took too long: exiting');
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 10_000).unref();
    handle.close().then(
      () => process.exit(0),
      (e: unknown) => {
        app.log.error({ err: e }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  const handle: ServerHandle = {
    app,
    port,
    url,
    demo,
    close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      closing ??= app.close();
      return closing;
    },
  };
  if (options.handleSignals ?? true) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  const seconds = (performance.now() / 1000).toFixed(1);
  const { durability } = app.services.database;
  print(
    `Itemshop listening on ${url} — ${storageLine(config, durability)}; started in ${seconds} s. Stop with Ctrl+C.`,
  );
  if (durability.storage === 'postgres' && (!durability.fsync || durability.synchronousCommit === 'off'))
    app.log.warn(
      { fsync: durability.fsync, synchronousCommit: durability.synchronousCommit },
      'PostgreSQL runs with fsync or synchronous_commit off: a crash of the database server can lose acknowledged purchases',
    );
  if (demo) {
    const note = demo.created
      ? `created with ${demo.skus.length} items`
      : 'already present, its items left as they are';
    print(formatDemoBanner(demo.credentials, url, note));
  }
  return handle;
}

/**
 * startServer for the command line: a startup failure becomes one line on stderr and `undefined` (exit code 1
 * for the caller). Set LOG_LEVEL=debug to also get the stack.
 */
export async function runServer(
  config: Config,
  options: ServerOptions = {},
): Promise<ServerHandle | undefined> {
  try {
    return await startServer(config, options);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`itemshop: cannot start: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    if (config.logLevel === 'debug' || config.logLevel === 'trace')
      process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return undefined;
  }
}
