/**
 * The `itemshop import` and `itemshop export` commands (src/cli.ts parses the arguments and calls these):
 *
 *   itemshop import <file|url> --project <id> [--mode create|create_and_update|sync]
 *   itemshop export --project <id> [--out <file>]
 *
 * `import` reads a local file (any path: the operator runs the command) or downloads an http(s) URL, stores it as
 * an import of the project — the one get-items-import-status then shows — and runs it in this process with a
 * progress bar on stderr (cli-progress; shown on a terminal only), then prints a summary and each refused entry.
 * `export` writes the project's catalog as an import file (modules/connector/export.ts) to `--out` or stdout.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import type { Config } from '../../config.js';
import type { Database } from '../../db/index.js';
import { createServices, type Services } from '../../services.js';
import { exportCatalog } from './export.js';
import { fetchImportFile } from './fetch.js';
import type { ImportMode, ImportStatusView } from './service.js';

/** Largest file the command line reads or downloads, in bytes (the API keeps Xsolla's 7 MB). */
export const CLI_MAX_BYTES = 512 * 1024 * 1024;

/** A progress display: `start(total)`, `update(done)`, `stop()`. */
export interface ProgressSink {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A cli-progress bar on stderr (drawn only when stderr is a terminal). */
export function progressBar(): ProgressSink {
  const bar = new cliProgress.SingleBar(
    { format: '{label} |{bar}| {value}/{total}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, label) => bar.start(total, 0, { label }),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/** A command failure shown to the user as one line (`itemshop: <message>`). */
export class CommandError extends Error {}

/** Opens the configured database, builds the services, runs `fn`, always closes. */
export async function withServices<T>(
  config: Config,
  openDatabase: (config: Config) => Promise<Database>,
  fn: (services: Services) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await fn(createServices(config, database));
  } finally {
    await database.close();
  }
}

export interface ImportCommandOptions {
  /** A local path, a file:// URL or an http(s) URL. */
  source: string;
  projectId: number;
  mode?: ImportMode;
  out: (line: string) => void;
  progress?: ProgressSink;
}

async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) return fetchImportFile(source, { maxBytes: CLI_MAX_BYTES });
  const path = /^file:\/\//i.test(source) ? fileURLToPath(source) : source;
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CommandError(`cannot read ${source}: ${(e as Error).message}`);
  }
}

/**
 * `itemshop import`: imports `source` into the project and prints the outcome. Returns the exit code: 0 when
 * every entry was applied, 1 when some were refused (they are listed; the others are applied).
 * @throws CommandError (unknown project, unreadable file), AppError 422 (not an import file)
 */
export async function importCommand(services: Services, o: ImportCommandOptions): Promise<number> {
  if (!(await services.tenancy.getProject(o.projectId)))
    throw new CommandError(`Project ${o.projectId} not found`);
  const text = await readSource(o.source);
  // created held by this command, so a server's worker (same PostgreSQL) does not take it first
  const owner = `cli:${process.pid}:${randomBytes(4).toString('hex')}`;
  const importId = await services.imports.create(
    o.projectId,
    `cli:${o.source}`,
    text,
    o.mode ?? 'create_and_update',
    owner,
  );
  const progress = o.progress ?? progressBar();
  let started = false;
  try {
    await services.imports.run(importId, owner, {
      onProgress: (done, total) => {
        if (!started) progress.start(total, 'Importing');
        started = true;
        progress.update(done);
      },
    });
  } finally {
    if (started) progress.stop();
  }
  const status = await services.imports.statusOf(importId);
  printSummary(status, o.projectId, o.out);
  return status.status === 'done' ? 0 : 1;
}

function printSummary(s: ImportStatusView, projectId: number, out: (line: string) => void) {
  const r = s.result;
  out(
    `Import ${s.import_id} into project ${projectId}: ${s.status} — ` +
      `${r.processed_entities_count} of ${r.total_entities_count} entries handled, ${r.errors_count} error(s)`,
  );
  if (s.error) out(`  ${s.error}`);
  for (const e of r.errors_by_sku) out(`  ${e.type} ${e.sku || '(no sku)'}: ${e.error_message}`);
}

export interface ExportCommandOptions {
  projectId: number;
  /** File to write; absent: stdout (through `out`). */
  outFile?: string;
  out: (line: string) => void;
  progress?: ProgressSink;
}

/**
 * `itemshop export`: the project's catalog as an import file (pretty-printed JSON) in `outFile` or on stdout.
 * Returns the exit code (0). @throws CommandError for an unknown project
 */
export async function exportCommand(services: Services, o: ExportCommandOptions): Promise<number> {
  if (!(await services.tenancy.getProject(o.projectId)))
    throw new CommandError(`Project ${o.projectId} not found`);
  const progress = o.outFile ? (o.progress ?? progressBar()) : undefined;
  let started = false;
  const doc = await exportCatalog(services.database.db, services, o.projectId, (done, total) => {
    if (!started) progress?.start(total, 'Exporting');
    started = true;
    progress?.update(done);
  });
  if (started) progress?.stop();
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (o.outFile) {
    await writeFile(o.outFile, text, 'utf8');
    const items = Object.values(doc).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
    o.out(`Exported project ${o.projectId} to ${o.outFile} (${items} entries)`);
  } else {
    o.out(text.trimEnd());
  }
  return 0;
}
