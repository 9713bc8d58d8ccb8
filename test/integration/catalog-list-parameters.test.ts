/**
 * `additional_fields` in the three forms the official clients send (issue 11 item 3): one comma-joined value
 * (`additional_fields=media_list,order`, the iOS SDK), the bracketed repeated form (`additional_fields[]=a&…`,
 * Android/Unreal/Cocos) and the unbracketed repeated form (Defold). An unknown name is 422/1102 whose message names
 * the parameter and lists the allowed values — on every operation that takes the parameter.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;
let token: string;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  const res = await t.adminCall('POST', '/admin/items/virtual_items', {
    sku: 'lamp',
    name: { en: 'Lamp' },
    long_description: { en: 'A lamp that never goes out.' },
    media_list: [{ type: 'image', url: 'https://cdn.example.com/lamp.png' }],
    order: 4,
    prices: [{ amount: 1, currency: 'USD', is_default: true }],
  });
  expect(res.statusCode, res.body).toBe(201);
  token = await t.userToken('lister');
});
afterAll(async () => app.close());

const lamp = async (query: string) => {
  const res = await catalogGet(app, t.projectId, `/items/virtual_items/sku/lamp?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the three forms of additional_fields', () => {
  it('one comma-joined value, as the iOS SDK sends it', async () => {
    const body = await lamp('additional_fields=media_list,order');
    expect(body.media_list).toEqual([{ type: 'image', url: 'https://cdn.example.com/lamp.png' }]);
    expect(body.order).toBe(4);
    expect(body).not.toHaveProperty('long_description');
  });

  it('the same names repeated, bracketed or not, and mixed with commas', async () => {
    const forms = [
      'additional_fields[]=media_list&additional_fields[]=order',
      'additional_fields=media_list&additional_fields=order',
      'additional_fields%5B%5D=media_list%2Corder',
      'additional_fields=media_list,%20order&additional_fields[]=order',
    ];
    for (const q of forms) {
      const body = await lamp(q);
      expect(body.media_list, q).toHaveLength(1);
      expect(body.order, q).toBe(4);
    }
  });

  it('a list page honours the comma-joined form too', async () => {
    const res = await catalogGet(app, t.projectId, '/items/virtual_items?additional_fields=long_description');
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].long_description).toBe('A lamp that never goes out.');
  });

  it('an empty value asks for nothing extra', async () => {
    const body = await lamp('additional_fields=');
    expect(body).not.toHaveProperty('media_list');
  });
});

describe('an unknown name', () => {
  it('is 422/1102 naming the parameter and the allowed values', async () => {
    const res = await catalogGet(
      app,
      t.projectId,
      '/items/virtual_items?additional_fields=media_list,colour',
    );
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 422, errorCode: 1102 });
    expect(body.errorMessage).toBe(
      '[0401-1102]: Unprocessable Entity. The value of `additional_fields` must be one of: media_list, order, ' +
        'long_description, custom_attributes, item_order_in_group',
    );
    expect(body.errorMessageExtended[0].property).toBe('additional_fields[1]');
  });

  const takers = operations.filter((op) => {
    const props = (op.schema.querystring as { properties?: Record<string, unknown> } | undefined)?.properties;
    return op.method === 'GET' && props !== undefined && 'additional_fields' in props;
  });

  it('every operation that takes additional_fields is covered (catalog reads and entitlements)', () => {
    const slugs = takers.map((op) => op.docSlug);
    expect(slugs).toContain('get-user-games');
    expect(slugs).toContain('get-virtual-items');
    expect(slugs).toContain('get-sellable-items-group');
    expect(takers.length).toBeGreaterThanOrEqual(14);
  });

  for (const op of takers) {
    const url = () =>
      `/api${op.path}`
        .replace('{project_id}', String(t.projectId))
        .replace('{external_id}', 'all')
        .replace('{item_sku}', 'lamp')
        .replace(/\{[a-z_]+\}/g, '1');
    it(`${op.docSlug}: accepts the comma-joined form and names the parameter in its 422`, async () => {
      const headers = { authorization: `Bearer ${token}` };
      const valid = op.docSlug === 'get-user-games' ? 'attributes,long_description' : 'media_list,order';
      const good = await app.inject({ method: 'GET', url: `${url()}?additional_fields=${valid}`, headers });
      expect(good.statusCode, good.body).not.toBe(422);
      expect(good.statusCode, good.body).toBeLessThan(500);
      const bad = await app.inject({
        method: 'GET',
        url: `${url()}?additional_fields=${valid},bogus`,
        headers,
      });
      expect(bad.statusCode, bad.body).toBe(422);
      expect(bad.json().errorMessage).toMatch(/The value of `additional_fields` must be one of: \w+/);
    });
  }
});

describe('entitlements', () => {
  it('accept attributes and the names the Unity SDK sends, and list them in the 422', async () => {
    const url = `/api/v2/project/${t.projectId}/entitlement`;
    const headers = { authorization: `Bearer ${token}` };
    const ok = await app.inject({ method: 'GET', url: `${url}?additional_fields=long_description`, headers });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await app.inject({ method: 'GET', url: `${url}?additional_fields[]=bogus`, headers });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errorMessage).toContain(
      'The value of `additional_fields` must be one of: attributes, media_list, order, long_description',
    );
  });
});
