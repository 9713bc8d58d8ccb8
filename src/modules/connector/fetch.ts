/**
 * Fetching an import file (import-items-from-external-file `file_url`): http(s) URLs served as
 * `application/json` (the real connector's rule, spec example 1803), and — for local development and tests —
 * `file://` URLs of files inside one configured directory (IMPORT_FILE_DIR), never anywhere else on the disk.
 * Sizes are bounded while reading (the real service documents 7 MB).
 */
import { open, realpath } from 'node:fs/promises';
import { extname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors/app-error.js';

/** Largest import file accepted through the API, in bytes (Xsolla's documented limit: 7 MB). */
export const MAX_IMPORT_BYTES = 7 * 1024 * 1024;
/** Longest wait for the file server, in ms. */
export const FETCH_TIMEOUT_MS = 30_000;

export interface FetchOptions {
  /** Directory whose files `file://` URLs may name; absent: `file://` is refused. */
  fileDir?: string;
  /** Largest body accepted, in bytes. */
  maxBytes?: number;
  /** Longest wait for an HTTP answer and body, in ms. */
  timeoutMs?: number;
}

const invalid = (message: string) => new AppError('IMPORT_FILE_INVALID', message);
const tooLarge = (max: number) => invalid(`The file is larger than ${max} bytes`);
const wrongType = (current: string) =>
  new AppError(
    'IMPORT_FILE_CONTENT_TYPE',
    `File content-type doesn't allowed. Allowed content types: application/json; current content type: ${current}`,
  );

/**
 * The text of the file at `url`.
 * @throws AppError 422/1803 (not served as application/json; a local file not named *.json), 422/1102 (bad or
 *   refused URL, unreachable, an HTTP error status, too large) — both with the connector prefix 0410.
 */
export async function fetchImportFile(url: string, opts: FetchOptions = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? MAX_IMPORT_BYTES;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('file_url is not a valid URL');
  }
  if (parsed.protocol === 'file:') return readLocal(parsed, opts.fileDir, maxBytes);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid(`Only http and https URLs are supported, not ${parsed.protocol}`);

  const signal = AbortSignal.timeout(opts.timeoutMs ?? FETCH_TIMEOUT_MS);
  let res: Response;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(parsed, { signal, redirect: 'follow', headers: { accept: 'application/json' } });
      break;
    } catch (e) {
      // one more try on a network failure (e.g. a kept-alive connection the server closed just then)
      if (attempt < 2 && !signal.aborted) continue;
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw invalid(`Cannot download the file: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw invalid(`Cannot download the file: the server answered ${res.status}`);
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    await res.body?.cancel().catch(() => {});
    throw wrongType(type || 'none');
  }
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(`Cannot download the file: ${(e as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A `file://` URL: only a `.json` file inside `fileDir` (symbolic links resolved before the check). */
async function readLocal(url: URL, fileDir: string | undefined, maxBytes: number): Promise<string> {
  if (!fileDir) throw invalid('file:// URLs are not allowed (IMPORT_FILE_DIR is not set)');
  let path: string;
  let root: string;
  try {
    root = await realpath(fileDir);
    path = await realpath(fileURLToPath(url));
  } catch {
    throw invalid('The file does not exist');
  }
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep))
    throw invalid('file:// URLs may only name files inside IMPORT_FILE_DIR');
  if (extname(path).toLowerCase() !== '.json') throw wrongType('application/octet-stream');
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(maxBytes);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
