/**
 * The README's examples run as written (issue 15 item 8): every ` ```sh ` block of README.md is run with bash
 * (`set -euo pipefail`) against a server started the way the README says (`npm start`, i.e. `tsx src/cli.ts serve
 * --demo`, here with `-- --port 0 --host 127.0.0.1` and a fresh DATA_DIR), and every `curl` in it must answer 2xx —
 * or the status a trailing `# expect <status>` comment on its line names. Blocks that run the CLI
 * (`src/cli.ts`, `itemshop …`) run after that server stopped, on the same DATA_DIR, since the embedded database
 * belongs to one process (the README says so). Only `sh` blocks run: output, and commands that need the internet
 * or root (`npm ci`, `npm run spec:fetch`, hosts files, mkcert), go in ` ```console `, ` ```text ` or other blocks.
 *
 * Substitutions, made before a block runs (anything else between `<` and `>` in a block fails the test, so the
 * README cannot grow a placeholder nobody can fill in):
 *   `localhost:8080`                     → the started server's `127.0.0.1:<port>`
 *   `<admin key printed at start>`       → the demo admin key the server printed
 *   `<user JWT printed at start>`        → the demo user JWT it printed
 *   `<demo order id printed at start>`   → the demo order it printed
 *   `<your payment id>`                  → a fresh unique id
 * Redirections such as `2>&1` or `<(…)` are not used in the README's blocks.
 *
 * `curl` is replaced on PATH by a wrapper that calls the real curl with `-sS -o <body> -w '%{http_code}'`,
 * records the status, prints the body, and fails the block when the status is not the expected one. Skipped with a
 * message when curl or bash is absent.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

const which = (cmd: string) => {
  try {
    return execFileSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const realCurl = which('curl');
if (!realCurl) console.warn('readme: curl not found — the README examples are not run');

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** Runs the CLI: after the server stopped. */
  offline: boolean;
}

/** Every ```sh block of the README, in order. */
export function shBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```sh[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) {
    const code = m[1];
    blocks.push({
      line: text.slice(0, m.index).split('\n').length,
      code,
      offline: /(^|[\s;&|(])(src\/cli\.ts|itemshop)\s/m.test(code),
    });
  }
  return blocks;
}

/** Expected statuses of the curl commands of a block, in order (`# expect NNN` on the line, else 2xx). */
function expectedStatuses(code: string): string[] {
  const joined = code.replace(/\\\n/g, ' '); // continuation lines belong to their command
  const out: string[] = [];
  for (const line of joined.split('\n')) {
    const calls = line.match(/(^|[|;&(]\s*|\s)curl\s/g)?.length ?? 0;
    const expect = /#\s*expect\s+(\d{3})\s*$/.exec(line)?.[1] ?? '2xx';
    for (let i = 0; i < calls; i++) out.push(expect);
  }
  return out;
}

interface Printed {
  base: string;
  hostPort: string;
  key: string;
  jwt: string;
  orderId: string;
}

function substitute(code: string, p: Printed): string {
  const out = code
    .replaceAll('localhost:8080', p.hostPort)
    .replaceAll('<admin key printed at start>', p.key)
    .replaceAll('<user JWT printed at start>', p.jwt)
    .replaceAll('<demo order id printed at start>', p.orderId)
    .replaceAll('<your payment id>', `readme-${randomBytes(6).toString('hex')}`);
  const unknown = out.match(/<[^<>\s][^<>]*>/g);
  if (unknown)
    throw new Error(`unknown placeholder(s) ${unknown.join(', ')}: add them to test/e2e/readme.test.ts`);
  return out;
}

let work: string;
let server: ChildProcess | undefined;
let printed: Printed;
let output = '';

/** `npm start -- --port 0 --host 127.0.0.1` in its own process group; resolves with what the banner printed. */
async function start(env: NodeJS.ProcessEnv): Promise<Printed> {
  server = spawn('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited (${server.exitCode}): ${output}`);
    const base = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    const key = /Admin API key \([^)]*\): (\S+)/.exec(output)?.[1];
    const jwt = /User JWT for '[^']+' \([^)]*\):\n\s+(\S+)/.exec(output)?.[1];
    const orderId = /demo order (\d+)/.exec(output)?.[1];
    if (base && key && jwt && orderId) return { base, hostPort: new URL(base).host, key, jwt, orderId };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`npm start did not print its banner: ${output}`);
}

async function stop() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  try {
    process.kill(-server.pid!, 'SIGTERM'); // npm, sh, tsx and the server
  } catch {
    return; // already gone
  }
  await exited;
  // The server releases the data directory lock when it exits.
  const lock = `${join(work, 'data')}.lock`;
  for (let i = 0; i < 100; i++) {
    try {
      readFileSync(lock);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs one block with bash and the curl wrapper; the statuses the wrapper saw. */
function run(block: Block, env: NodeJS.ProcessEnv): { code: number; statuses: string[]; out: string } {
  const log = join(work, `curl-${block.line}.log`);
  writeFileSync(log, '');
  const script = `set -euo pipefail\n${substitute(block.code, printed)}`;
  try {
    const out = execFileSync('bash', ['-c', script], {
      cwd: repoRoot,
      env: { ...env, README_CURL_LOG: log },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { code: 0, statuses: readFileSync(log, 'utf8').split('\n').filter(Boolean), out };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return {
      code: err.status ?? 1,
      statuses: readFileSync(log, 'utf8').split('\n').filter(Boolean),
      out: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    };
  }
}

const blocks = shBlocks(readme);
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!realCurl) return;
  work = mkdtempSync(join(tmpdir(), 'itemshop-readme-'));
  const bin = join(work, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  const expectFile = join(work, 'expect');
  // The curl wrapper: the real curl, silent, body printed, status logged and checked against the next expectation.
  writeFileSync(
    join(bin, 'curl'),
    `#!/usr/bin/env bash
body=$(mktemp)
status=$(${JSON.stringify(realCurl)} -sS -o "$body" -w '%{http_code}' "$@") || { cat "$body"; rm -f "$body"; exit 97; }
cat "$body"; echo; rm -f "$body"
echo "$status" >> "$README_CURL_LOG"
n=$(wc -l < "$README_CURL_LOG")
want=$(sed -n "\${n}p" "$README_EXPECT" 2>/dev/null || true)
if [ "$want" = "2xx" ] || [ -z "$want" ]; then [[ "$status" == 2?? ]] || exit 98; else [ "$status" = "$want" ] || exit 98; fi
`,
  );
  chmodSync(join(bin, 'curl'), 0o755);
  env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    DATA_DIR: join(work, 'data'),
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    README_EXPECT: expectFile,
  };
  printed = await start(env);
}, 180_000);

afterAll(async () => {
  await stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!realCurl)('README.md examples', () => {
  it('has sh blocks with curl examples and CLI examples', () => {
    expect(blocks.filter((b) => !b.offline).length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.offline).length).toBeGreaterThanOrEqual(1);
    expect(blocks.some((b) => b.code.includes('Content-Type: application/json'))).toBe(true);
  });

  it('every sh block with curl answers the expected statuses against the started server', () => {
    for (const block of blocks.filter((b) => !b.offline)) {
      const expected = expectedStatuses(block.code);
      writeFileSync(env.README_EXPECT!, `${expected.join('\n')}\n`);
      const r = run(block, env);
      const where = `README.md line ${block.line}:\n${block.code}\n${r.out}`;
      expect(r.code, where).toBe(0);
      expect(r.statuses.length, where).toBe(expected.length);
      r.statuses.forEach((status, i) =>
        expect(expected[i] === '2xx' ? status[0] : status, where).toBe(
          expected[i] === '2xx' ? '2' : expected[i],
        ),
      );
    }
  });

  it('every sh block with CLI commands runs once the server has stopped', async () => {
    await stop();
    for (const block of blocks.filter((b) => b.offline)) {
      writeFileSync(env.README_EXPECT!, '');
      const r = run(block, env);
      expect(r.code, `README.md line ${block.line}:\n${block.code}\n${r.out}`).toBe(0);
    }
  }, 240_000); // each CLI command opens the data directory and migrates it: slow on a busy 2-core machine

  it('rejects a block with a placeholder it cannot fill', () => {
    expect(() => substitute('curl -u 59080:<api key> localhost:8080/x', printed)).toThrow(
      /unknown placeholder/,
    );
    expect(
      expectedStatuses('curl a\ncurl b # expect 404\necho $(curl c) | curl d -X POST \\\n  -d x'),
    ).toEqual(['2xx', '404', '2xx', '2xx']);
  });
});
