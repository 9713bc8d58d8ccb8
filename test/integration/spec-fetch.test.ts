/**
 * `npm run spec:fetch` (issue 15 item 9) against a local HTTP server serving a copy of the spec: the document is
 * saved where the contract tests look for it (by `--url`/`--out` flags or SPEC_URL/SPEC_OUT), a failure (HTTP
 * error, not JSON, not OpenAPI) prints one line, exits 1 and leaves an earlier copy untouched; the contract tests
 * take `../shared/spec/` first and the downloaded copy otherwise, and say how to get one when neither exists.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FETCHED_SPEC_PATH,
  locateSpec,
  readSpecFile,
  SHARED_SPEC_PATH,
  SKIP_NOTE,
} from '../contract/spec.js';

/** A copy of the official spec when the shared folder is there, else a small OpenAPI 3 document. */
const copy = existsSync(SHARED_SPEC_PATH)
  ? readFileSync(SHARED_SPEC_PATH, 'utf8')
  : JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'copy', version: '1' },
      paths: {
        '/v2/project/{project_id}/items': { get: { operationId: 'get-sellable-items', responses: {} } },
      },
    });

let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'itemshop-spec-'));
  server = createServer((req, res) => {
    if (req.url === '/openapi.json') res.writeHead(200, { 'content-type': 'application/json' }).end(copy);
    else if (req.url === '/html')
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    else if (req.url === '/other-json') res.writeHead(200).end('{"swagger":"2.0","paths":{}}');
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run spec:fetch`'s script with `args` and `env`. */
function fetchSpec(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/spec-fetch.ts', ...args], {
      env: { ...process.env, SPEC_URL: '', SPEC_OUT: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('npm run spec:fetch', () => {
  it('is the npm script of the README', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['spec:fetch']).toBe('tsx scripts/spec-fetch.ts');
    expect(readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8')).toMatch(/^\.spec\/$/m);
  });

  it('downloads the spec from --url into --out, byte for byte, with its source', async () => {
    const out = join(dir, 'by-flags');
    const run = await fetchSpec(['--url', `${base}/openapi.json`, '--out', out]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(
      new RegExp(`^spec:fetch: saved ${out}/openapi\\.json \\(OpenAPI 3\\.\\S+, \\d+ operations`),
    );
    expect(readFileSync(join(out, 'openapi.json'), 'utf8')).toBe(copy);
    expect(readFileSync(join(out, 'SOURCE'), 'utf8')).toContain(`url: ${base}/openapi.json`);
  });

  it('takes the URL and folder from SPEC_URL and SPEC_OUT', async () => {
    const out = join(dir, 'by-env');
    const run = await fetchSpec([], { SPEC_URL: `${base}/openapi.json`, SPEC_OUT: out });
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(join(out, 'openapi.json'), 'utf8')).toBe(copy);
  });

  it('fails with one line and exit 1 on an HTTP error, a page that is not JSON, or JSON that is not OpenAPI 3', async () => {
    const out = join(dir, 'kept');
    expect((await fetchSpec(['--url', `${base}/openapi.json`, '--out', out])).code).toBe(0);
    const cases: [string, RegExp][] = [
      ['/missing', /^spec:fetch: cannot download http:\/\/127\.0\.0\.1:\d+\/missing: HTTP 404 Not Found\n$/],
      [
        '/html',
        /^spec:fetch: http:\/\/127\.0\.0\.1:\d+\/html did not answer JSON \(starts with "<html>login<\/html>"\)\n$/,
      ],
      ['/other-json', /^spec:fetch: http:\/\/127\.0\.0\.1:\d+\/other-json is not an OpenAPI 3 document/],
    ];
    for (const [path, message] of cases) {
      const run = await fetchSpec(['--url', `${base}${path}`, '--out', out]);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(message);
      expect(run.err.trim().split('\n')).toHaveLength(1);
      // The earlier download is left as it was.
      expect(readFileSync(join(out, 'openapi.json'), 'utf8')).toBe(copy);
    }
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const refused = await fetchSpec(['--url', `http://127.0.0.1:${port}/openapi.json`, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `spec:fetch: cannot download http://127.0.0.1:${port}/openapi.json: ECONNREFUSED\n`,
    );
  });
});

describe('where the contract tests find the spec', () => {
  it('prefers ../shared/spec, then the downloaded .spec/openapi.json, else none', () => {
    const shared = join(dir, 'shared.json');
    const fetched = join(dir, 'fetched.json');
    expect(locateSpec([shared, fetched])).toBeUndefined();
    writeFileSync(fetched, '{}');
    expect(locateSpec([shared, fetched])).toBe(fetched);
    writeFileSync(shared, '{}');
    expect(locateSpec([shared, fetched])).toBe(shared);
    expect(FETCHED_SPEC_PATH).toMatch(/\/\.spec\/openapi\.json$/);
  });

  it('says in the skip message how to enable the tier', () => {
    expect(SKIP_NOTE).toContain('npm run spec:fetch');
  });

  it('has the operations and their groups even without ../shared/spec/endpoints.tsv', () => {
    const tsv = readSpecFile('endpoints.tsv')!;
    const [header, ...rows] = tsv
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(header.slice(0, 4)).toEqual(['method', 'path', 'group', 'doc_slug']);
    expect(rows.length).toBeGreaterThanOrEqual(128);
    expect(rows.some((r) => r[3] === 'get-virtual-items' && r[2] === 'virtual-items-currency-catalog')).toBe(
      true,
    );
  });
});
