/**
 * The server entry and the command line: a PGlite data directory is owned by one process (lock file), data
 * survives a restart, a directory Itemshop never initialized is refused and left untouched (DESIGN §3), and the
 * CLI commands print what they promise. The directory tests use their own PGlite directory under os.tmpdir();
 * the CLI tests use the worker's shared database.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, type CliDeps } from '../../src/cli.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb } from '../../src/db/index.js';
import { DEMO_CREDENTIALS_FILE } from '../../src/demo/credentials.js';
import { DataDirLockedError } from '../../src/db/lock.js';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { runServer, startServer } from '../../src/server.js';
import { basic } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'itemshop-server-test-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Captures what runServer writes on stderr while `fn` runs. */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
}

describe('server on a PGlite data directory', () => {
  it('owns its directory while running, keeps data and the demo key and JWT across a restart', async () => {
    const dataDir = join(root, 'data');
    const config = loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', demo: true });
    const printed: string[] = [];
    const first = await startServer(config, { handleSignals: false, print: (t) => printed.push(t) });
    const firstKey = first.demo!.credentials.apiKey;
    const firstJwt = first.demo!.credentials.userToken;
    const api = `${first.url}/api/v2/project/59080`;
    try {
      expect(first.demo).toMatchObject({ created: true, projectId: 59080 });
      const text = printed.join('\n');
      expect(text).toContain(`listening on ${first.url}`);
      expect(text).toContain(firstKey);
      expect(text).toContain(`curl ${api}/items/virtual_items`);

      // A second process (here: a second open in this one) is refused while the first runs.
      await expect(createDb(config)).rejects.toBeInstanceOf(DataDirLockedError);
      const refused = await stderrOf(async () =>
        expect(await runServer(config, { handleSignals: false })).toBeUndefined(),
      );
      expect(refused).toMatch(
        /^itemshop: cannot start: The data directory is in use by another Itemshop process \(pid \d+/,
      );
      expect(refused.trim().split('\n')).toHaveLength(1);

      const catalog = await fetch(`${api}/items/virtual_items`);
      expect(catalog.status).toBe(200);
      expect(((await catalog.json()) as { items: unknown[] }).items).toHaveLength(7);

      const created = await fetch(`${api}/admin/items/virtual_items`, {
        method: 'POST',
        headers: { authorization: basic(59080, firstKey), 'content-type': 'application/json' },
        body: JSON.stringify({
          sku: 'kept_item',
          name: { en: 'Kept' },
          prices: [{ amount: 2.5, currency: 'USD', is_default: true }],
        }),
      });
      expect(created.status).toBe(201);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    // Issue 15 item 5: the same data directory prints the same demo key and JWT, and the first still works.
    const printedAgain: string[] = [];
    const second = await startServer(config, { handleSignals: false, print: (t) => printedAgain.push(t) });
    try {
      expect(second.demo).toMatchObject({ created: false, skus: [] });
      expect(second.demo!.credentials.apiKey).toBe(firstKey);
      expect(second.demo!.credentials.userToken).toBe(firstJwt);
      const banner = printedAgain.join('\n');
      expect(banner).toContain(firstKey);
      expect(banner).toContain(firstJwt);
      expect(banner).toContain(`kept in plain text in ${join(dataDir, DEMO_CREDENTIALS_FILE)}`);
      const api2 = `${second.url}/api/v2/project/59080`;
      const kept = await fetch(`${api2}/admin/items/virtual_items/sku/kept_item`, {
        headers: { authorization: basic(59080, firstKey) },
      });
      expect(kept.status).toBe(200);
      const order = await fetch(`${api2}/order/${second.demo!.credentials.demoOrder!.order_id}`, {
        headers: { authorization: `Bearer ${firstJwt}` },
      });
      expect(order.status).toBe(200);
      expect(await kept.json()).toMatchObject({
        sku: 'kept_item',
        prices: [{ amount: 2.5, currency: 'USD' }],
      });
      const catalog = await fetch(`${api2}/items/virtual_items`);
      expect(((await catalog.json()) as { items: unknown[] }).items).toHaveLength(8);
    } finally {
      await second.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    // The plaintext is kept for the owner of the data directory only.
    const file = join(dataDir, DEMO_CREDENTIALS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      project_id: 59080,
      api_key: firstKey,
      user_jwt: firstJwt,
    });

    // A fresh data directory gets its own credentials.
    const fresh = await startServer(
      loadConfig(
        {},
        { dataDir: join(root, 'fresh'), port: 0, host: '127.0.0.1', logLevel: 'silent', demo: true },
      ),
      { handleSignals: false, print: () => {} },
    );
    try {
      expect(fresh.demo!.credentials.apiKey).not.toBe(firstKey);
      expect(fresh.demo!.credentials.userToken).not.toBe(firstJwt);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a non-empty directory it never initialized, and leaves it untouched', async () => {
    const dir = join(root, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    writeFileSync(join(dir, 'notes.txt'), 'not yours');
    const snapshot = () => readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    const before = snapshot();

    await expect(createDb({ dataDir: dir, dbPoolSize: 1 })).rejects.toThrow(
      /not empty but was never fully initialized/,
    );
    const config = loadConfig({}, { dataDir: dir, port: 0, host: '127.0.0.1', logLevel: 'silent' });
    const message = await stderrOf(async () =>
      expect(await runServer(config, { handleSignals: false })).toBeUndefined(),
    );
    expect(message).toMatch(/^itemshop: cannot start: The data directory .* was never fully initialized/);

    expect(snapshot()).toEqual(before);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});

describe('itemshop command line', () => {
  let tenancy: TenancyService;
  let out: string[];
  let err: string[];
  let served: Config[];
  const deps: CliDeps = {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    openDatabase: async () => ({ ...(await testDatabase()), close: async () => {} }),
    serve: async (config) => {
      served.push(config);
      return {} as never;
    },
  };
  const run = async (...args: string[]) => {
    out = [];
    err = [];
    served = [];
    return main(['node', 'itemshop', ...args], deps);
  };

  beforeAll(async () => {
    tenancy = new TenancyService((await testDatabase()).db);
  });

  it('project create makes a merchant, a project and a key that opens it', async () => {
    expect(await run('project', 'create', '--merchant-name', 'cli-test', '--name', 'Game')).toBe(0);
    const fields = Object.fromEntries(out.map((l) => l.split(': ')));
    const projectId = Number(fields.project_id);
    expect(await tenancy.getProject(projectId)).toMatchObject({
      name: 'Game',
      merchant_id: Number(fields.merchant_id),
    });
    expect(await tenancy.verifyProjectKey(projectId, fields.api_key)).toBe(true);

    expect(await run('project', 'create', '--merchant', fields.merchant_id)).toBe(0);
    const other = Number(out.find((l) => l.startsWith('project_id: '))!.slice(12));
    expect(other).not.toBe(projectId);
    expect((await tenancy.getProject(other))?.merchant_id).toBe(Number(fields.merchant_id));
  });

  it('key create prints a project key or a merchant-wide key', async () => {
    await run('project', 'create', '--merchant-name', 'cli-keys');
    const fields = Object.fromEntries(out.map((l) => l.split(': ')));
    expect(await run('key', 'create', '--project', fields.project_id)).toBe(0);
    expect(await tenancy.verifyProjectKey(Number(fields.project_id), out[0])).toBe(true);
    expect(await run('key', 'create', '--merchant', fields.merchant_id)).toBe(0);
    expect(await tenancy.verifyMerchantKey(Number(fields.merchant_id), out[0])).toBe(true);
  });

  it('token prints a user JWT the project accepts', async () => {
    await run('project', 'create', '--merchant-name', 'cli-token');
    const projectId = Number(out.find((l) => l.startsWith('project_id: '))!.slice(12));
    expect(
      await run(
        'token',
        '--project',
        String(projectId),
        '--user',
        'player-1',
        '--email',
        'p@example.com',
        '--ttl',
        '120',
      ),
    ).toBe(0);
    const identity = await tenancy.verifyUserToken((await tenancy.getProject(projectId))!, out[0]);
    expect(identity).toMatchObject({ userId: 'player-1', email: 'p@example.com' });
    expect(Number(identity.claims.exp) - Number(identity.claims.iat)).toBe(120);
  });

  it('fails with one clear line and exit code 1 on bad input', async () => {
    expect(await run('token', '--project', '987654321', '--user', 'u')).toBe(1);
    expect(err).toEqual(['itemshop: Project 987654321 not found']);
    expect(await run('project', 'create')).toBe(1);
    expect(err).toEqual(['itemshop: give --merchant <id> or --merchant-name <name>']);
    expect(await run('key', 'create', '--merchant', '987654321')).toBe(1);
    expect(err).toEqual(['itemshop: Merchant 987654321 not found']);
    expect(await run('token', '--project', 'abc', '--user', 'u')).toBe(1);
    expect(err.join('\n')).toContain("'abc' is invalid");
    expect(await run('project', 'create', '--merchant', '1', '--merchant-name', 'x')).toBe(1);
    expect(err.join('\n')).toContain('cannot be used with');
    expect(out).toEqual([]);
  });

  it('migrate reports an up-to-date schema; serve passes flags over the environment', async () => {
    expect(await run('migrate')).toBe(0);
    expect(out[0]).toMatch(/^Database schema is up to date/);

    expect(await run('serve', '--port', '9999', '--host', '127.0.0.1', '--demo')).toBeNull();
    expect(served[0]).toMatchObject({ port: 9999, host: '127.0.0.1', demo: true });
    expect(await run('serve')).toBeNull();
    expect(served[0]).toMatchObject({ port: 8080, host: '0.0.0.0', demo: false });
  });
});
