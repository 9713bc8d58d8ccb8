/**
 * One Itemshop process stands in for every Xsolla host an SDK hard-codes (ADR 0037): with a certificate and key it
 * serves HTTPS, and the paths of the Store API (store.xsolla.com), the realtime socket (ws-store.xsolla.com), the
 * pay station (secure / sandbox-secure.xsolla.com), the widget script (static.xsolla.com, cdn.xsolla.net) and the
 * Event API (getupdate.xsolla.com) all reach it on one port. Each request is made as a client behind a hosts entry
 * would make it: TLS to 127.0.0.1 with that host as SNI and `Host`, the certificate verified for that name.
 * The certificate is self-signed, made here with the openssl CLI (the tests skip with a message without it).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadConfig, type Config } from '../../src/config.js';
import { runServer, startServer, type ServerHandle } from '../../src/server.js';
import { createTenant, type Tenant } from '../helpers/app.js';

const HOSTS = [
  'store.xsolla.com',
  'ws-store.xsolla.com',
  'secure.xsolla.com',
  'sandbox-secure.xsolla.com',
  'getupdate.xsolla.com',
  'static.xsolla.com',
  'cdn.xsolla.net',
  'login.xsolla.com',
];

const HAS_OPENSSL = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!HAS_OPENSSL) console.warn('[skipped] TLS tests: no openssl command to make a test certificate');

let dir: string;
let cert: Buffer;
let certFile: string;
let keyFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'itemshop-tls-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  if (!HAS_OPENSSL) return;
  const san = [...HOSTS.map((h) => `DNS:${h}`), 'DNS:localhost', 'IP:127.0.0.1'].join(',');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=Itemshop test',
      '-addext', `subjectAltName=${san}`,
    ], // prettier-ignore
    { stdio: 'ignore' },
  );
  cert = execFileSync('openssl', ['x509', '-in', certFile]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request to `host` (resolved to 127.0.0.1:port, as a hosts entry would), certificate checked. */
function call(
  port: number,
  host: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: host,
        ca: cert,
        method,
        path,
        headers: {
          host,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends a WebSocket upgrade for `path` over TLS to `host` and resolves to the response head and what follows. */
function upgrade(port: number, host: string, path: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: host, ca: cert }, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Protocol: centrifuge-protobuf\r\nOrigin: https://${host}\r\n\r\n`,
      );
    });
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head === -1) return;
      if (text.startsWith('HTTP/1.1 101')) return done(); // upgraded: the head is all we need
      const length = /content-length:\s*(\d+)/i.exec(text)?.[1];
      if (length && text.length >= head + 4 + Number(length)) done();
    });
    socket.on('error', reject);
    socket.on('end', done);
  });
}

function configFor(overrides: Partial<Config>): Config {
  const database = process.env.TEST_DATABASE_URL;
  return loadConfig(
    {},
    {
      ...(database ? { databaseUrl: database } : { dataDir: 'memory://' }),
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      webhookWorker: false,
      importWorker: false,
      orderSweepIntervalSeconds: 0,
      ...overrides,
    },
  );
}

describe.skipIf(!HAS_OPENSSL)('one process, every Xsolla host, over HTTPS', () => {
  let server: ServerHandle;
  let port: number;
  let t: Tenant;
  let jwt: string;
  const printed: string[] = [];

  beforeAll(async () => {
    server = await startServer(configFor({ tlsCertFile: certFile, tlsKeyFile: keyFile }), {
      handleSignals: false,
      print: (text) => printed.push(text),
    });
    port = server.port;
    t = await createTenant(server.app);
    const created = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'sword',
      name: { en: 'Sword' },
      prices: [{ amount: 9.99, currency: 'USD', is_default: true }],
    });
    expect(created.statusCode).toBe(201);
    jwt = await t.userToken('tls-user');
  });
  afterAll(async () => server?.close());

  it('announces an https:// address', () => {
    expect(server.url).toBe(`https://127.0.0.1:${port}`);
    expect(printed.join('\n')).toContain(`listening on https://127.0.0.1:${port}`);
  });

  it('completes a purchase: Store API, pay station (every entry point) and widget, each on its own host name', async () => {
    const api = `/api/v2/project/${t.projectId}`;
    const catalog = await call(port, 'store.xsolla.com', 'GET', `${api}/items/virtual_items`);
    expect(catalog.status).toBe(200);
    expect(JSON.parse(catalog.body).items.map((i: { sku: string }) => i.sku)).toEqual(['sword']);

    const bearer = { authorization: `Bearer ${jwt}` };
    const order = await call(port, 'store.xsolla.com', 'POST', `${api}/payment/item/sword`, bearer, {
      sandbox: true,
    });
    expect(order.status).toBe(200);
    const { order_id, token } = JSON.parse(order.body) as { order_id: number; token: string };

    for (const [host, path] of [
      ['sandbox-secure.xsolla.com', `/paystation4/?token=${token}`],
      ['secure.xsolla.com', `/paystation3/?access_token=${token}`],
      ['sandbox-secure.xsolla.com', `/paystation2/?access_token=${token}`],
    ]) {
      const page = await call(port, host, 'GET', path);
      expect(page.status, `${host}${path}`).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`Order ${order_id}`);
    }
    const paid = await call(port, 'sandbox-secure.xsolla.com', 'POST', `/api/paystation/${token}/pay`);
    expect(paid.status).toBe(200);
    const status = await call(port, 'store.xsolla.com', 'GET', `${api}/order/${order_id}`, bearer);
    expect(JSON.parse(status.body).status).toBe('done');

    for (const [host, path] of [
      ['static.xsolla.com', '/embed/paystation/1.1.0/widget.min.js'],
      ['cdn.xsolla.net', '/payments-bucket-prod/embed/1.5.4/widget.min.js'],
    ]) {
      const script = await call(port, host, 'GET', path);
      expect(script.status, `${host}${path}`).toBe(200);
      expect(script.body).toContain('XPayStationWidget');
    }
  });

  it('routes the realtime socket path: a WebSocket upgrade on ws-store.xsolla.com reaches the app over TLS', async () => {
    const key = randomBytes(16).toString('base64');
    const head = await upgrade(port, 'ws-store.xsolla.com', '/connection/websocket', key);
    // The realtime server answers: a real WebSocket handshake (RFC 6455 accept of the key).
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    expect(head).toMatch(new RegExp(`sec-websocket-accept: ${accept.replace(/[+/]/g, '\\$&')}`, 'i'));
  });

  it('routes the Event API path on getupdate.xsolla.com to the app', async () => {
    const res = await call(port, 'getupdate.xsolla.com', 'GET', `/events?project_id=${t.projectId}`, {
      authorization: `Bearer ${jwt}`,
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty('events');
  });

  it('needs no Host routing: the same path gives the same answer whatever the host name', async () => {
    const path = `/api/v2/project/${t.projectId}/items/virtual_items`;
    const bodies = new Set<string>();
    for (const host of HOSTS) {
      const res = await call(port, host, 'GET', path);
      expect(res.status, host).toBe(200);
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    // Login's paths share the /api prefix but not a path: Itemshop does not serve them.
    const login = await call(port, 'login.xsolla.com', 'POST', '/api/oauth2/token');
    expect(login.status).toBe(404);
  });
});

describe('TLS configuration', () => {
  it('needs the certificate and the key together', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/x/cert.pem' })).toThrow(/TLS_CERT_FILE \/ TLS_KEY_FILE/);
    expect(() => loadConfig({ TLS_KEY_FILE: '/x/key.pem' })).toThrow(/give both/);
    expect(loadConfig({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' })).toMatchObject({
      tlsCertFile: '/c.pem',
      tlsKeyFile: '/k.pem',
    });
  });

  it('takes --tls-cert and --tls-key on serve (over the environment)', async () => {
    let seen: Config | undefined;
    const code = await main(
      ['node', 'itemshop', 'serve', '--tls-cert', '/a/cert.pem', '--tls-key', '/a/key.pem'],
      {
        env: { TLS_CERT_FILE: '/env/cert.pem', TLS_KEY_FILE: '/env/key.pem' },
        serve: async (config) => {
          seen = config;
          return undefined;
        },
        err: () => {},
      },
    );
    expect(code).toBe(1); // the stub server "failed to start"
    expect(seen).toMatchObject({ tlsCertFile: '/a/cert.pem', tlsKeyFile: '/a/key.pem' });
  });

  it('refuses to start, in one line naming the file, when the certificate cannot be read', async () => {
    const missing = join(tmpdir(), `itemshop-no-such-cert-${randomBytes(4).toString('hex')}.pem`);
    writeFileSync(join(dir, 'only-key.pem'), 'not a key');
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const handle = await runServer(
        configFor({ tlsCertFile: missing, tlsKeyFile: join(dir, 'only-key.pem') }),
        {
          handleSignals: false,
          print: () => {},
        },
      );
      expect(handle).toBeUndefined();
    } finally {
      process.stderr.write = write;
    }
    expect(lines.join('')).toBe(
      `itemshop: cannot start: cannot read the TLS certificate ${missing}: ENOENT\n`,
    );
  });
});
