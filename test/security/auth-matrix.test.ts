/**
 * The common auth matrix, generated from the operations table (DESIGN §6, §8): for every operation, with its
 * path parameters filled from a real tenant (a currency, an item in a group, a package), the credentials that
 * must fail get the full 401 envelope and change nothing, and the ones that must pass get through.
 *
 * - basic: `project_id:api_key`, or a merchant-wide key as `project_id:merchant_key` (spec: "an API key that is
 *   valid across all company projects"); any other pairing is 401/1020.
 * - merchant: `merchant_id:merchant_key` only.
 * - user-optional: anonymous or a valid user JWT; a bad JWT is 401/1501 (never silently anonymous).
 * - user: a valid user JWT only. none: public.
 * - cart (AuthForCart): a valid user JWT, or the guest headers `x-unauthorized-id` + base64 email `x-user`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { servedPath, type AnyOperation } from '../../src/http/operation.js';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';

const ENDPOINTS_TSV = new URL('../../../shared/spec/endpoints.tsv', import.meta.url);
const SPEC_JSON = new URL(
  '../../../shared/spec/xsolla-shop-builder-api-openapi-2025-07.json',
  import.meta.url,
);

/** `METHOD path` by operationId in the official spec (for those beyond endpoints.tsv, e.g. get-webhook). */
function specOperations(): Map<string, string> {
  if (!existsSync(SPEC_JSON)) return new Map();
  const spec = JSON.parse(readFileSync(SPEC_JSON, 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const ids = new Map<string, string>();
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, o] of Object.entries(ops))
      if (o.operationId) ids.set(o.operationId, `${method.toUpperCase()} ${path}`);
  }
  return ids;
}

/** The areas this table must serve completely. */
const REQUIRED_GROUPS = [
  'virtual-items-currency-admin',
  'virtual-items-currency-catalog',
  'common-catalog',
  'common-merchant',
];

let app: FastifyInstance;
/** Another merchant with its own project (the "other tenant" of every check). */
let other: Tenant;

beforeAll(async () => {
  app = await testApp();
  other = await createTenant(app);
});
afterAll(async () => app.close());

const rnd = () => randomBytes(4).toString('hex');

/** A tenant with the objects the path parameters point at. */
interface Fixture {
  t: Tenant;
  swordId: number;
  groupId: number;
  regionId: number;
}

async function fixture(): Promise<Fixture> {
  const t = await createTenant(app);
  const { db } = app.services.database;
  const group = await db
    .insertInto('item_groups')
    .values({
      project_id: t.projectId,
      external_id: 'weapons',
      name: JSON.stringify({ en: 'Weapons' }),
      parent_group_id: null,
      image_url: null,
    })
    .returning('group_id')
    .executeTakeFirstOrThrow();
  const mustCreate = async (path: string, body: unknown) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
  };
  await mustCreate('/admin/items/virtual_currency', {
    sku: 'gold',
    name: { en: 'Gold' },
    prices: [{ amount: 1, currency: 'USD', is_default: true }],
  });
  await mustCreate('/admin/items/virtual_currency', { sku: 'silver', name: { en: 'Silver' } });
  await mustCreate('/admin/items/virtual_items', {
    sku: 'sword',
    name: { en: 'Sword' },
    groups: ['weapons'],
    attributes: [{ external_id: 'weapons', values: [{ external_id: 'steel', value: { en: 'Steel' } }] }],
    prices: [{ amount: 9.99, currency: 'USD', is_default: true }],
    vc_prices: [{ sku: 'gold', amount: 10, is_default: true }],
  });
  await mustCreate('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: [{ amount: 4.99, currency: 'USD', is_default: true }],
    content: [{ sku: 'gold', quantity: 100 }],
  });
  await mustCreate('/admin/items/bundle', {
    sku: 'sword_bundle',
    name: { en: 'Sword bundle' },
    description: { en: 'Gold for a sword' },
    prices: [{ amount: '12.99', currency: 'USD', is_default: true, is_enabled: true }],
    content: [{ sku: 'gold', quantity: 10 }], // gold: never deleted here (the sword and the pack are)
    groups: ['weapons'],
    is_show_in_store: true,
  });
  const sword = await db
    .selectFrom('items')
    .select('item_id')
    .where('project_id', '=', t.projectId)
    .where('sku', '=', 'sword')
    .executeTakeFirstOrThrow();
  const region = await db
    .insertInto('regions')
    .values({ project_id: t.projectId, name: JSON.stringify({ en: 'Americas' }), countries: ['US'] })
    .returning('region_id')
    .executeTakeFirstOrThrow();
  return { t, swordId: sword.item_id, groupId: group.group_id, regionId: region.region_id };
}

/**
 * The concrete URL of `op` for the fixture (`override` replaces parameters, e.g. another project id); `known` is
 * false when a parameter had to be made up.
 */
function urlOf(
  op: AnyOperation,
  f: Fixture,
  override: Record<string, string | number> = {},
): { url: string; known: boolean } {
  let known = true;
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (override[name] !== undefined) return String(override[name]);
    switch (name) {
      case 'project_id':
        return String(f.t.projectId);
      case 'merchant_id':
        return String(f.t.merchantId);
      case 'item_sku':
        return op.path.includes('/package/') ? 'gold_pack' : 'sword';
      case 'virtual_currency_sku':
        return op.method === 'DELETE' ? 'silver' : 'gold'; // gold is in use (package content, vc price)
      case 'virtual_currency_package_sku':
        return 'gold_pack';
      case 'sku':
        return op.path.includes('/bundle/') ? 'sword_bundle' : 'sword';
      case 'item_id':
        return String(f.swordId);
      case 'external_id':
        return 'weapons';
      case 'group_id':
      case 'id':
        return String(f.groupId);
      case 'item_type':
        return 'virtual_items';
      case 'region_id':
        return String(f.regionId);
      case 'value_external_id':
        return 'steel';
      default:
        known = false;
        return String(100000 + Math.floor(Math.random() * 900000));
    }
  });
  // an operation whose project comes from the query (the Event API at the root) gets `?project_id=`
  const query = (op.schema.querystring as { properties?: Record<string, unknown> } | undefined)?.properties;
  const projectQuery =
    query && 'project_id' in query ? `?project_id=${override.project_id ?? f.t.projectId}` : '';
  return { url: servedPath({ path, root: op.root }) + projectQuery, known };
}

/** A valid body for the write operations this file knows (a fresh sku each time), else undefined. */
function bodyOf(op: AnyOperation): object | undefined {
  if (op.method !== 'POST' && op.method !== 'PUT') return undefined;
  const create = op.method === 'POST';
  if (op.path.includes('/virtual_currency/package')) {
    return {
      sku: create ? `pack_${rnd()}` : 'gold_pack',
      name: { en: 'Pack' },
      description: { en: 'Some gold' },
      prices: [{ amount: 1.99, currency: 'USD', is_default: true }],
      content: [{ sku: 'gold', quantity: 5 }],
    };
  }
  if (op.path.includes('/virtual_currency'))
    return { sku: create ? `vc_${rnd()}` : 'gold', name: { en: 'Currency' } };
  if (op.path.includes('/virtual_items')) {
    return {
      sku: create ? `item_${rnd()}` : 'sword',
      name: { en: 'Item' },
      prices: [{ amount: 2.5, currency: 'USD', is_default: true }],
    };
  }
  if (op.path.includes('/items/bundle')) {
    return {
      sku: create ? `bundle_${rnd()}` : 'sword_bundle',
      name: { en: 'Bundle' },
      description: { en: 'A bundle' },
      content: [{ sku: 'gold', quantity: 2 }],
    };
  }
  if (op.path.includes('/admin/attribute/{external_id}/value'))
    return { external_id: create ? `value_${rnd()}` : 'steel', value: { en: 'Value' } };
  if (op.path.includes('/admin/attribute'))
    return { external_id: create ? `attr_${rnd()}` : 'weapons', name: { en: 'Attribute' } };
  if (op.path.endsWith('/admin/group/order')) return [{ external_id: 'weapons', order: 2 }];
  if (op.path.endsWith('/order/item')) return [{ sku: 'sword', order: 2 }];
  if (op.path.includes('/admin/items/groups'))
    return { external_id: create ? `group_${rnd()}` : 'weapons', name: { en: 'Group' } };
  if (op.path.includes('/admin/region')) return { name: { 'en-US': 'Region' }, countries: ['US', 'CA'] };
  if (/\/cart\/(\{cart_id\}\/)?fill$/.test(op.path)) return { items: [{ sku: 'sword', quantity: 1 }] };
  if (/\/cart\/(\{cart_id\}\/)?item\/\{item_sku\}$/.test(op.path)) return { quantity: 1 };
  return {};
}

function call(op: AnyOperation, url: string, authorization?: string, body?: object) {
  const req: InjectOptions = {
    method: op.method as InjectOptions['method'],
    url,
    headers: authorization ? { authorization } : {},
  };
  if (body !== undefined) req.payload = body;
  return app.inject(req);
}

/** The full Xsolla envelope of a 401 with `errorCode`. */
function expect401(res: LightMyRequestResponse, errorCode: number, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(401);
  const body = res.json();
  expect(body, what).toMatchObject({ statusCode: 401, errorCode });
  expect(body.errorMessage, what).toMatch(new RegExp(`^\\[0401-${errorCode}\\]: .+`));
  expect(body.transactionId, what).toMatch(/^[0-9a-f]{32}$/);
}

function expectPassed(res: LightMyRequestResponse, what: string) {
  expect([401, 403], `${what}: ${res.body}`).not.toContain(res.statusCode);
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
}

async function catalogVersion(projectId: number): Promise<string> {
  const row = await app.services.database.db
    .selectFrom('projects')
    .select('catalog_version')
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return String(row.catalog_version);
}

/** Operations of the four areas whose happy path this file knows exactly (success status checked). */
const exact = new Set<string>();
if (existsSync(ENDPOINTS_TSV)) {
  for (const line of readFileSync(ENDPOINTS_TSV, 'utf8').split('\n').slice(1)) {
    const [, , group, slug] = line.split('\t');
    if (REQUIRED_GROUPS.includes(group) || group?.startsWith('bundles-')) exact.add(slug);
  }
}

describe('operations table', () => {
  it('has one route per doc_slug and method+path', () => {
    const slugs = operations.map((o) => o.docSlug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const routes = operations.map((o) => `${o.method} ${o.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it.skipIf(!existsSync(ENDPOINTS_TSV))(
    'serves exactly the 30 operations of the four areas, as endpoints.tsv writes them',
    () => {
      const rows = readFileSync(ENDPOINTS_TSV, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .map(([method, path, group, slug, , security]) => ({ method, path, group, slug, security }));
      const wanted = rows.filter((r) => REQUIRED_GROUPS.includes(r.group));
      expect(wanted).toHaveLength(30);
      const bySlug = new Map(rows.map((r) => [r.slug, r]));
      const served = operations.filter((o) => REQUIRED_GROUPS.includes(bySlug.get(o.docSlug)?.group ?? ''));
      expect(served.map((o) => o.docSlug).sort()).toEqual(wanted.map((r) => r.slug).sort());

      const authOf: Record<string, string[]> = {
        basicAuth: ['basic'],
        basicMerchantAuth: ['merchant'],
        XsollaLoginUserJWT: ['user-optional', 'user'],
        AuthForCart: ['cart'],
        none: ['none'],
      };
      for (const op of operations) {
        const row = bySlug.get(op.docSlug);
        if (op.extension) continue;
        // an operation of the official spec beyond the 128 (get-webhook) keeps the spec's method and path
        const inSpec = row ? undefined : specOperations().get(op.docSlug);
        if (inSpec) {
          expect(`${op.method} ${op.path}`, op.docSlug).toBe(inSpec);
          continue;
        }
        expect(row, `${op.docSlug} is not in endpoints.tsv`).toBeDefined();
        expect(`${op.method} ${op.path}`, op.docSlug).toBe(`${row!.method} ${row!.path}`);
        if (authOf[row!.security]) expect(authOf[row!.security], op.docSlug).toContain(op.auth);
      }
      // Catalog reads work without a token (spec: "without authorization … generic data").
      for (const op of served.filter((o) => bySlug.get(o.docSlug)!.group.endsWith('catalog'))) {
        expect(op.auth, op.docSlug).toBe('user-optional');
      }
    },
  );
});

describe.each(operations.map((op) => [`${op.method} ${op.path} (${op.docSlug}, ${op.auth})`, op] as const))(
  '%s',
  (_name, op) => {
    let f: Fixture;
    let url: string;
    let known: boolean;

    beforeAll(async () => {
      f = await fixture();
      ({ url, known } = urlOf(op, f));
    });

    if (op.auth === 'basic') {
      it('rejects missing, wrong and foreign credentials with 401/1020 and changes nothing', async () => {
        const { t } = f;
        const before = await catalogVersion(t.projectId);
        const attempts: [string, string | undefined][] = [
          ['no Authorization', undefined],
          ['wrong key', basic(t.projectId, `${t.apiKey.slice(0, -4)}beef`)],
          ['empty key', basic(t.projectId, '')],
          ['other project id and key', basic(other.projectId, other.apiKey)],
          ["this project id, other project's key", basic(t.projectId, other.apiKey)],
          ["this project id, other merchant's merchant key", basic(t.projectId, other.merchantKey)],
          ['merchant-wide key as merchant_id:key', basic(t.merchantId, t.merchantKey)],
          ['project key under the merchant id', basic(t.merchantId, t.apiKey)],
          ['not Basic', `Bearer ${await t.userToken()}`],
          ['garbage', 'Basic !!!'],
        ];
        for (const [what, authorization] of attempts)
          expect401(await call(op, url, authorization, bodyOf(op)), 1020, what);
        // A key of another project never reaches this project through its own project id either.
        const foreign = await call(
          op,
          urlOf(op, f, { project_id: other.projectId }).url,
          t.admin.authorization,
          bodyOf(op),
        );
        expect401(foreign, 1020, "this project's key on the other project");
        const beyond = urlOf(op, f, { project_id: '99999999999' }).url;
        expect401(
          await call(op, beyond, basic('99999999999', t.apiKey), bodyOf(op)),
          1020,
          'a project id beyond the storage range',
        );
        expect(await catalogVersion(t.projectId)).toBe(before);
      });

      it('authenticates before validating: an anonymous malformed request is 401, not 422', async () => {
        const res = await app.inject({
          method: op.method as InjectOptions['method'],
          url: `${url}${url.includes('?') ? '&' : '?'}limit=0&offset=-1`,
          ...(op.method === 'POST' || op.method === 'PUT' ? { payload: { sku: '' } } : {}),
        });
        expect401(res, 1020, 'anonymous + invalid input');
      });

      it("accepts the project's own key", async () => {
        const res = await call(op, url, f.t.admin.authorization, bodyOf(op));
        expectPassed(res, 'own key');
        if (known && exact.has(op.docSlug)) expect(res.statusCode, res.body).toBeGreaterThanOrEqual(200);
        if (known && exact.has(op.docSlug)) expect(res.statusCode, res.body).toBeLessThan(300);
      });

      it("accepts the merchant's merchant-wide key as project_id:key", async () => {
        expectPassed(
          await call(op, url, basic(f.t.projectId, f.t.merchantKey), bodyOf(op)),
          'merchant-wide key',
        );
      });
    }

    if (op.auth === 'merchant') {
      it('rejects project keys and foreign keys with 401/1020', async () => {
        const { t } = f;
        const attempts: [string, string | undefined][] = [
          ['no Authorization', undefined],
          ['wrong key', basic(t.merchantId, `${t.merchantKey.slice(0, -4)}beef`)],
          ['project key under the merchant id', basic(t.merchantId, t.apiKey)],
          ['project id and key', basic(t.projectId, t.apiKey)],
          ['other merchant id and key', basic(other.merchantId, other.merchantKey)],
          ["this merchant id, other merchant's key", basic(t.merchantId, other.merchantKey)],
          ['user JWT', `Bearer ${await t.userToken()}`],
        ];
        for (const [what, authorization] of attempts)
          expect401(await call(op, url, authorization, bodyOf(op)), 1020, what);
        const foreign = await call(
          op,
          urlOf(op, f, { merchant_id: other.merchantId }).url,
          t.merchant.authorization,
        );
        expect401(foreign, 1020, "this merchant's key on the other merchant");
        const beyond = urlOf(op, f, { merchant_id: '99999999999' }).url;
        expect401(
          await call(op, beyond, basic('99999999999', t.merchantKey)),
          1020,
          'a merchant id beyond the storage range',
        );
      });

      it("accepts the merchant's own key", async () => {
        const res = await call(op, url, f.t.merchant.authorization, bodyOf(op));
        expectPassed(res, 'own merchant key');
        if (known && op.method === 'GET') expect(res.statusCode, res.body).toBe(200);
      });
    }

    if (op.auth === 'user-optional' || op.auth === 'user' || op.auth === 'cart') {
      if (op.auth === 'cart') {
        // AuthForCart: a user JWT (checked below as for `user`), or the guest mode headers
        it('works in the guest mode; a malformed x-user is 401/1501', async () => {
          const guest = (user: string) => ({
            method: op.method as InjectOptions['method'],
            url,
            headers: { 'x-unauthorized-id': 'guest-1', 'x-user': user },
            ...(bodyOf(op) === undefined ? {} : { payload: bodyOf(op) }),
          });
          const email = Buffer.from('guest@example.com').toString('base64');
          expectPassed(await app.inject(guest(email)), 'guest');
          const notEmail = Buffer.from('not-an-email').toString('base64');
          expect401(await app.inject(guest(notEmail)), 1501, 'guest with an x-user that is no email');
        });
      }
      if (op.auth === 'user-optional') {
        it('works without Authorization', async () => {
          const res = await call(op, url, undefined, bodyOf(op));
          expectPassed(res, 'anonymous');
          if (known && exact.has(op.docSlug)) expect(res.statusCode, res.body).toBe(200);
        });
      } else {
        it('rejects a request without a token with 401/1501', async () => {
          expect401(await call(op, url, undefined, bodyOf(op)), 1501, 'anonymous');
        });
      }

      it('works with a valid user JWT', async () => {
        const res = await call(op, url, `Bearer ${await f.t.userToken('u-1')}`, bodyOf(op));
        expectPassed(res, 'user token');
        if (known && exact.has(op.docSlug)) expect(res.statusCode, res.body).toBe(200);
      });

      it('rejects malformed, expired, foreign and unsigned tokens with 401/1501', async () => {
        const { t } = f;
        const project = (await app.services.tenancy.getProject(t.projectId))!;
        const secret = new TextEncoder().encode(project.jwt_secret);
        const now = Math.floor(Date.now() / 1000);
        const expired = await app.services.tenancy.mintUserToken(project, 'u-1', { ttlSeconds: -3600 });
        const noSub = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(now + 3600)
          .sign(secret);
        const noExp = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('u-1')
          .sign(secret);
        const wrongSecret = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('u-1')
          .setExpirationTime(now + 3600)
          .sign(new TextEncoder().encode('not-the-project-secret-not-the-project-secret'));
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u-1', exp: now + 3600 })}.`;
        const good = await t.userToken('u-1');
        const tampered = `${good.split('.')[0]}.${b64({ sub: 'admin', exp: now + 3600 })}.${good.split('.')[2]}`;
        const attempts: [string, string][] = [
          ['malformed', 'Bearer not-a-jwt'],
          ['three garbage segments', 'Bearer abc.def.ghi'],
          ['expired', `Bearer ${expired}`],
          ['other project', `Bearer ${await other.userToken('u-1')}`],
          ['no sub', `Bearer ${noSub}`],
          ['no exp', `Bearer ${noExp}`],
          ['wrong secret', `Bearer ${wrongSecret}`],
          ['alg none', `Bearer ${unsigned}`],
          ['tampered payload', `Bearer ${tampered}`],
        ];
        for (const [what, authorization] of attempts)
          expect401(await call(op, url, authorization, bodyOf(op)), 1501, what);
      });
    }

    if (op.auth === 'none') {
      it('works without Authorization', async () => {
        expectPassed(await call(op, url, undefined, bodyOf(op)), 'anonymous');
      });
    }
  },
);
