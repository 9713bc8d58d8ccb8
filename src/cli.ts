/**
 * The `itemshop` command line (commander):
 *
 *   itemshop serve [--port N] [--host H] [--demo]      run the server (--demo: create the demo store if missing)
 *   itemshop serve --workers N                         N server processes on one port (PostgreSQL only)
 *   itemshop serve --tls-cert <file> --tls-key <file>  serve HTTPS (and WSS) with a PEM certificate and key
 *   itemshop migrate                                   apply pending migrations and exit
 *   itemshop project create (--merchant <id> | --merchant-name <name>) [--name N] [--id N]
 *                                                      prints merchant_id, project_id and a new project API key
 *   itemshop key create (--project <id> | --merchant <id>) [--name N]
 *                                                      prints a new key (merchant → merchant-wide key)
 *   itemshop token --project <id> --user <id> [--email e] [--ttl seconds]
 *                                                      prints a user JWT (HS256, the project's secret)
 *   itemshop import <file|url> --project <id> [--mode create|create_and_update|sync]
 *                                                      imports an item file with a progress bar
 *   itemshop export --project <id> [--out file]        writes the catalog as an import file
 *
 * Every command reads the same configuration as the server (DATABASE_URL, DATA_DIR, …; src/config.ts).
 * Handlers only parse, call services and print; the rules live in the services. A failure prints one line
 * `itemshop: <message>` on stderr and exits 1.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CONFIG_ENV_NAMES, loadConfig, type Config } from './config.js';
import { createDb, type Database } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { exportCommand, importCommand, withServices } from './modules/connector/cli.js';
import { createFanout } from './fanout/fanout.js';
import { ProjectDirectory } from './modules/tenancy/directory.js';
import { TenancyService } from './modules/tenancy/service.js';
import { isClusterWorker, runCluster } from './cluster.js';
import { runServer, type ServerHandle } from './server.js';

export interface CliDeps {
  /** Environment to read the configuration from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Standard output / error lines. Default: process.stdout / process.stderr. */
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Opens the database of one-shot commands. Default: createDb (tests pass their shared database). */
  openDatabase?: (config: Config) => Promise<Database>;
  /** Runs the server for `serve`. Default: runServer. */
  serve?: (config: Config) => Promise<ServerHandle | undefined>;
}

/** The flags of `serve`. */
interface ServeOptions {
  port?: number;
  host?: string;
  demo?: boolean;
  workers?: number;
  tlsCert?: string;
  tlsKey?: string;
}

/** A user-facing failure: printed as `itemshop: <message>`, exit code 1. */
export class CliError extends Error {}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const portNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};

function version(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
}

function describeStorage(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(config.dataDir)}`;
}

/**
 * Builds the program. `result.code` is set by the action that ran: an exit code, or null while `serve` runs.
 */
export function buildCli(deps: CliDeps = {}, result: { code: number | null } = { code: 0 }): Command {
  const env = deps.env ?? process.env;
  const out = deps.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = deps.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const open = deps.openDatabase ?? createDb;
  const config = (overrides: Partial<Config> = {}) => loadConfig(env, overrides);

  /**
   * Opens the configured database, runs `fn` with a TenancyService on it, always closes. Key writes are announced
   * on the deployment's fan-out (NOTIFY in their transaction, or Redis), so running servers see them at once.
   */
  async function withTenancy<T>(fn: (tenancy: TenancyService) => Promise<T>): Promise<T> {
    const c = config();
    const database = await open(c);
    const fanout = createFanout(c, database.engine, database.db);
    try {
      if (fanout.mode === 'redis') await fanout.start(); // PUBLISH needs its connection; NOTIFY runs in the write
      return await fn(new TenancyService(database.db, new ProjectDirectory(database.db, fanout)));
    } finally {
      await fanout.close();
      await database.close();
    }
  }

  const program = new Command('itemshop')
    .description('Self-hostable in-game store server speaking the Xsolla Catalog API 2.0.0')
    .version(version())
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out(s.replace(/\n$/, '')),
      writeErr: (s) => err(s.replace(/\n$/, '')),
    })
    .addHelpText('after', `\nConfiguration comes from the environment: ${CONFIG_ENV_NAMES.join(', ')}.`);

  program
    .command('serve')
    .description('run the HTTP server')
    .option('--port <n>', 'TCP port (default $PORT or 8080)', portNumber)
    .option('--host <h>', 'interface to bind (default $HOST or 0.0.0.0)')
    .option('--demo', 'create the demo store (project 59080) if missing and print credentials')
    .option('--workers <n>', 'server processes sharing the port (PostgreSQL only; default 1)', positiveInt)
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (default $TLS_CERT_FILE)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert (default $TLS_KEY_FILE)')
    .action(async (o: ServeOptions) => {
      const c = config({
        port: o.port,
        host: o.host,
        demo: o.demo || undefined,
        tlsCertFile: o.tlsCert,
        tlsKeyFile: o.tlsKey,
      });
      if ((o.workers ?? 1) > 1 && !isClusterWorker()) {
        if (!c.databaseUrl)
          throw new CliError('--workers needs DATABASE_URL: a PGlite data directory belongs to one process');
        result.code = (await runCluster(c, o.workers!)) ? null : 1;
        return;
      }
      // A cluster worker (src/cluster.ts): the primary seeded the demo and prints the listening line.
      const worker = isClusterWorker();
      const handle = await (
        deps.serve ?? ((cfg: Config) => runServer(cfg, worker ? { print: () => {} } : {}))
      )(worker ? { ...c, demo: false } : c);
      result.code = handle ? null : 1;
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const c = config();
      const database = await open(c); // createDb migrates before returning
      await database.close();
      out(
        `Database schema is up to date (${Object.keys(migrations).length} migration(s) applied) — ${describeStorage(c)}`,
      );
    });

  const project = program.command('project').description('manage projects');
  project
    .command('create')
    .description('create a project (and its merchant with --merchant-name); prints its id and a new API key')
    .addOption(
      new Option('--merchant <id>', 'existing merchant id').argParser(positiveInt).conflicts('merchantName'),
    )
    .addOption(new Option('--merchant-name <name>', 'create a new merchant with this name'))
    .option('--name <name>', 'project name', 'My project')
    .option('--id <id>', 'project id (default: generated)', positiveInt)
    .action(async (o: { merchant?: number; merchantName?: string; name: string; id?: number }) => {
      if (o.merchant === undefined && !o.merchantName)
        throw new CliError('give --merchant <id> or --merchant-name <name>');
      await withTenancy(async (tenancy) => {
        if (o.id !== undefined && (await tenancy.getProject(o.id)))
          throw new CliError(`Project ${o.id} already exists`);
        if (o.merchant !== undefined && !(await tenancy.merchantExists(o.merchant))) {
          throw new CliError(`Merchant ${o.merchant} not found`);
        }
        const merchantId = o.merchant ?? (await tenancy.createMerchant(o.merchantName!));
        const projectId = await tenancy.createProject(merchantId, o.name, o.id);
        const apiKey = await tenancy.createApiKey(merchantId, projectId, 'cli');
        out(`merchant_id: ${merchantId}`);
        out(`project_id: ${projectId}`);
        out(`api_key: ${apiKey}`);
      });
    });

  const key = program.command('key').description('manage API keys');
  key
    .command('create')
    .description('create an API key of a project, or a merchant-wide key; prints it (shown only once)')
    .addOption(
      new Option('--project <id>', 'project id (key for `project_id:key`)')
        .argParser(positiveInt)
        .conflicts('merchant'),
    )
    .addOption(
      new Option('--merchant <id>', 'merchant id (merchant-wide key for `merchant_id:key`)').argParser(
        positiveInt,
      ),
    )
    .option('--name <name>', 'a label for the key', 'cli')
    .action(async (o: { project?: number; merchant?: number; name: string }) => {
      if (o.project === undefined && o.merchant === undefined)
        throw new CliError('give --project <id> or --merchant <id>');
      await withTenancy(async (tenancy) => {
        if (o.project !== undefined) {
          const p = await tenancy.getProject(o.project);
          if (!p) throw new CliError(`Project ${o.project} not found`);
          out(await tenancy.createApiKey(p.merchant_id, p.project_id, o.name));
        } else {
          if (!(await tenancy.merchantExists(o.merchant!)))
            throw new CliError(`Merchant ${o.merchant} not found`);
          out(await tenancy.createApiKey(o.merchant!, null, o.name));
        }
      });
    });

  program
    .command('token')
    .description("print a user JWT for a project (HS256 with the project's secret)")
    .requiredOption('--project <id>', 'project id', positiveInt)
    .requiredOption('--user <id>', 'user id (the `sub` claim)')
    .option('--email <email>', 'email claim')
    .option('--ttl <seconds>', 'validity in seconds (default 30 days)', positiveInt)
    .action(async (o: { project: number; user: string; email?: string; ttl?: number }) => {
      await withTenancy(async (tenancy) => {
        const p = await tenancy.getProject(o.project);
        if (!p) throw new CliError(`Project ${o.project} not found`);
        out(await tenancy.mintUserToken(p, o.user, { email: o.email, ttlSeconds: o.ttl }));
      });
    });

  program
    .command('import')
    .description('import items from a JSON file or URL (the import file format) into a project')
    .argument('<file|url>', 'a local file, or an http(s) URL of the file')
    .requiredOption('--project <id>', 'project id', positiveInt)
    .addOption(
      new Option('--mode <mode>', 'what to do with existing items')
        .choices(['create', 'create_and_update', 'sync'])
        .default('create_and_update'),
    )
    .action(async (source: string, o: { project: number; mode: 'create' | 'create_and_update' | 'sync' }) => {
      result.code = await withServices(config(), open, (services) =>
        importCommand(services, { source, projectId: o.project, mode: o.mode, out }),
      );
    });

  program
    .command('export')
    .description("write a project's catalog as an import file (JSON)")
    .requiredOption('--project <id>', 'project id', positiveInt)
    .option('--out <file>', 'file to write (default: standard output)')
    .action(async (o: { project: number; out?: string }) => {
      result.code = await withServices(config(), open, (services) =>
        exportCommand(services, { projectId: o.project, outFile: o.out, out }),
      );
    });

  return program;
}

/**
 * Runs the CLI on `argv` (node-style: [node, script, ...args]). Resolves to the exit code, or null when a
 * long-running command (`serve`) is running.
 */
export async function main(argv: string[] = process.argv, deps: CliDeps = {}): Promise<number | null> {
  const result: { code: number | null } = { code: 0 };
  const err = deps.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    await buildCli(deps, result).parseAsync(argv);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander printed the message (or help/version)
    err(`itemshop: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** Process entry (tsx src/cli.ts, bin/itemshop.js): runs main and exits with its code unless serving. */
export async function runCli(argv: string[] = process.argv): Promise<void> {
  const code = await main(argv);
  if (code === null) return;
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref(); // in case a stray handle would keep the process alive
}

const entry = process.argv[1];
const isEntry = (() => {
  try {
    return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isEntry) void runCli();
