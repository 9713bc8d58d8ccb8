/**
 * `npm run spec:fetch` (issue 15 item 9): downloads the published OpenAPI description of the Xsolla Shop Builder
 * API into `.spec/openapi.json` (ignored by git), where the contract tests find it when `../shared/spec/` is absent
 * (test/contract/spec.ts), and writes `.spec/SOURCE` (URL, time, SHA-256) next to it.
 *
 *   npm run spec:fetch                               # from DEFAULT_SPEC_URL
 *   npm run spec:fetch -- --url <url> [--out <dir>]  # another copy (a mirror, a pinned version)
 *   SPEC_URL=<url> SPEC_OUT=<dir> npm run spec:fetch # the same through the environment (flags win)
 *
 * The body must be JSON with an `openapi` version 3.x and `paths`; it is written atomically (a failed download
 * leaves an earlier copy as it was). Prints one line; exit code 0 when saved, 1 otherwise.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Xsolla's published bundle of the Shop Builder API (the source of ../shared/spec's copy, July 2025). */
export const DEFAULT_SPEC_URL = 'https://api.redocly.com/registry/bundle/xsolla/store-en/v1/openapi.json';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Default folder of the download. */
export const DEFAULT_SPEC_OUT = join(repoRoot, '.spec');

/** Longest wait for the download, ms. */
const TIMEOUT_MS = 60_000;

/**
 * Downloads `url` into `<outDir>/openapi.json` (+ `SOURCE`). Returns the line to print.
 * @throws Error with a one-line reason (HTTP status, network error, not JSON, not an OpenAPI 3 document)
 */
export async function fetchSpec(url: string, outDir: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
  } catch (e) {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new Error(`cannot download ${url}: ${why}`, { cause: e });
  }
  if (!res.ok) throw new Error(`cannot download ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  const text = await res.text();
  let doc: { openapi?: unknown; paths?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    throw new Error(`${url} did not answer JSON (starts with ${JSON.stringify(text.slice(0, 40))})`, {
      cause: e,
    });
  }
  if (
    typeof doc.openapi !== 'string' ||
    !doc.openapi.startsWith('3.') ||
    typeof doc.paths !== 'object' ||
    !doc.paths
  )
    throw new Error(`${url} is not an OpenAPI 3 document (no "openapi": "3.x" and "paths")`);
  const operations = Object.values(doc.paths as Record<string, Record<string, unknown>>).reduce(
    (n, item) =>
      n + Object.keys(item).filter((k) => /^(get|put|post|delete|patch|head|options)$/.test(k)).length,
    0,
  );
  const sha256 = createHash('sha256').update(text).digest('hex');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'openapi.json');
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  writeFileSync(
    join(outDir, 'SOURCE'),
    `url: ${url}\nfetched: ${new Date().toISOString()}\nsha256: ${sha256}\nopenapi: ${doc.openapi}\n`,
  );
  return `spec:fetch: saved ${file} (OpenAPI ${doc.openapi}, ${operations} operations, sha256 ${sha256.slice(0, 12)}…) from ${url}`;
}

/** The command line: flags, then the environment, then the defaults. Resolves to the exit code. */
export async function main(argv: string[] = process.argv.slice(2), env = process.env): Promise<number> {
  let values: { url?: string; out?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { url: { type: 'string' }, out: { type: 'string' } } }));
  } catch (e) {
    process.stderr.write(
      `spec:fetch: ${(e as Error).message} (usage: spec:fetch [--url <url>] [--out <dir>])\n`,
    );
    return 1;
  }
  const url = values.url ?? (env.SPEC_URL || DEFAULT_SPEC_URL);
  const out = resolve(values.out ?? (env.SPEC_OUT || DEFAULT_SPEC_OUT));
  try {
    process.stdout.write(`${await fetchSpec(url, out)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`spec:fetch: ${(e as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
