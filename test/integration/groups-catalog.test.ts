/**
 * Item groups in the client catalog: get-item-groups (the enabled groups as a localized tree, public), the
 * group-scoped item lists (direct members only, in `item_order_in_group` order, 404/4403 for an unknown or
 * disabled group), that an admin change to a group is visible on the very next catalog read, and a property:
 * walking a group's list with any page sizes yields every member exactly once, in group order.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const price = [{ amount: 2, currency: 'USD', is_default: true }];

async function ok(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  return res.body ? JSON.parse(res.body) : undefined;
}
const createGroup = async (t: Tenant, body: Record<string, unknown>) =>
  ok(
    await t.adminCall('POST', '/admin/items/groups', { name: { en: String(body.external_id) }, ...body }),
    201,
  );
const createItem = async (t: Tenant, sku: string, groups: string[], extra: Record<string, unknown> = {}) =>
  ok(
    await t.adminCall('POST', '/admin/items/virtual_items', {
      sku,
      name: { en: sku },
      prices: price,
      groups,
      ...extra,
    }),
    201,
  );

interface CatalogGroup {
  external_id: string;
  name: string;
  description: string;
  image_url: string | null;
  order: number;
  level: number;
  children: CatalogGroup[];
  parent_external_id: string | null;
}
const tree = async (t: Tenant, query = '') => {
  const res = await app.inject({ method: 'GET', url: `/api/v2/project/${t.projectId}/items/groups${query}` });
  return ((await ok(res, 200)) as { groups: CatalogGroup[] }).groups;
};
/** `external_id(child, child…)` of a tree, for compact assertions. */
const shape = (groups: CatalogGroup[]): string[] =>
  groups.map((g) => (g.children.length ? `${g.external_id}(${shape(g.children).join(',')})` : g.external_id));

describe('get-item-groups', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, {
      external_id: 'hair',
      name: { en: 'Hair', de: 'Haare' },
      description: { en: 'Hair styles', de: 'Frisuren' },
      iconUrl: 'https://cdn.example.com/hair.png',
      order: 1,
    });
    await createGroup(t, { external_id: 'background', parent_external_id: 'hair' });
    await createGroup(t, { external_id: 'accessory', parent_external_id: 'background' });
    await createGroup(t, { external_id: 'super', order: 2 });
    await createGroup(t, { external_id: 'hidden', order: 0, isEnabled: false });
    await createGroup(t, { external_id: 'under-hidden', parent_external_id: 'hidden' });
  });

  it('returns the enabled groups nested as created, without any credentials', async () => {
    const groups = await tree(t);
    expect(shape(groups)).toEqual(['hair(background(accessory))', 'super']);
    expect(groups[0]).toEqual({
      external_id: 'hair',
      name: 'Hair',
      description: 'Hair styles',
      image_url: 'https://cdn.example.com/hair.png',
      order: 1,
      level: 0,
      parent_external_id: null,
      children: [
        {
          external_id: 'background',
          name: 'background',
          description: '',
          image_url: null,
          order: 1,
          level: 1,
          parent_external_id: 'hair',
          children: [
            {
              external_id: 'accessory',
              name: 'accessory',
              description: '',
              image_url: null,
              order: 1,
              level: 2,
              parent_external_id: 'background',
              children: [],
            },
          ],
        },
      ],
    });
  });

  it('localizes names and descriptions with `locale` (falling back to en)', async () => {
    const [hair] = await tree(t, '?locale=de');
    expect([hair.name, hair.description, hair.children[0].name]).toEqual(['Haare', 'Frisuren', 'background']);
    const [fr] = await tree(t, '?locale=fr-FR');
    expect(fr.name).toBe('Hair');
  });

  it('shows a change on the next read: enabling, renaming, moving, deleting', async () => {
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/hidden', {
        external_id: 'shown',
        name: { en: 'Shown' },
        order: 0,
        isEnabled: true,
      }),
      204,
    );
    expect(shape(await tree(t))).toEqual(['shown(under-hidden)', 'hair(background(accessory))', 'super']);
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/super', {
        external_id: 'super',
        name: { en: 'Super' },
        parent_external_id: 'shown',
      }),
      204,
    );
    // equal orders: the newer group first
    expect(shape(await tree(t))).toEqual(['shown(under-hidden,super)', 'hair(background(accessory))']);
    await ok(await t.adminCall('DELETE', '/admin/items/groups/background'), 204);
    expect(shape(await tree(t))).toEqual(['shown(under-hidden,super)', 'hair(accessory)']);
    const [, hair] = await tree(t);
    expect(hair.children[0]).toMatchObject({ level: 1, parent_external_id: 'hair' });
  });

  it('answers 404 for an unknown project and an empty list for a project without groups', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v2/project/2147480000/items/groups' });
    expect(res.statusCode).toBe(404);
    expect(await tree(await createTenant(app))).toEqual([]);
  });
});

describe('group-scoped catalog lists', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, { external_id: 'weapons' });
    await createGroup(t, { external_id: 'swords', parent_external_id: 'weapons' });
    await createGroup(t, { external_id: 'off', isEnabled: false });
    await createGroup(t, { external_id: 'under-off', parent_external_id: 'off' });
    await createItem(t, 'club', ['weapons']);
    await createItem(t, 'sword', ['swords']);
    await createItem(t, 'saber', ['swords', 'off', 'under-off']);
  });

  const skus = async (path: string) => {
    const res = await catalogGet(app, t.projectId, path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((i: { sku: string }) => i.sku);
  };

  it('lists only the direct members of a parent group', async () => {
    expect(await skus('/items/virtual_items/group/weapons')).toEqual(['club']);
    expect(await skus('/items/group/weapons')).toEqual(['club']);
    expect(await skus('/items/virtual_items/group/swords')).toEqual(['sword', 'saber']);
  });

  it('answers 404/4403 for a disabled group, a group under a disabled one, and an unknown group', async () => {
    for (const path of [
      '/items/virtual_items/group/off',
      '/items/group/off',
      '/items/virtual_items/group/under-off',
      '/items/group/nope',
    ]) {
      const res = await catalogGet(app, t.projectId, path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json(), path).toMatchObject({ statusCode: 404, errorCode: 4403 });
    }
  });

  it('still sells the items of a disabled group elsewhere, and lists the group when it is enabled again', async () => {
    expect(await skus('/items/virtual_items')).toContain('saber');
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/off', {
        external_id: 'off',
        name: { en: 'On' },
        isEnabled: true,
      }),
      204,
    );
    expect(await skus('/items/virtual_items/group/off')).toEqual(['saber']);
    expect(await skus('/items/virtual_items/group/under-off')).toEqual(['saber']);
  });

  it('renders item_order_in_group set by a reorder on the next read', async () => {
    const before = await catalogGet(
      app,
      t.projectId,
      '/items/group/swords?additional_fields[]=item_order_in_group',
    );
    const ids = Object.fromEntries(
      before.json().items.map((i: { sku: string; item_id: number }) => [i.sku, i.item_id]),
    );
    await ok(
      await t.adminCall('PUT', '/admin/group/swords/order/item', [{ item_id: ids.saber, order: 0 }]),
      204,
    );
    const after = await catalogGet(
      app,
      t.projectId,
      '/items/group/swords?additional_fields[]=item_order_in_group',
    );
    expect(
      after
        .json()
        .items.map((i: { sku: string; groups: { external_id: string; item_order_in_group: number }[] }) => [
          i.sku,
          i.groups.find((g) => g.external_id === 'swords')?.item_order_in_group,
        ]),
    ).toEqual([
      ['saber', 0],
      ['sword', 1],
    ]);
  });
});

describe('property: paging through a group', () => {
  it('lists every member exactly once, in group order, whatever the page sizes', async () => {
    const t = await createTenant(app);
    await createGroup(t, { external_id: 'big' });
    await createGroup(t, { external_id: 'other' });
    const n = 23;
    for (let i = 0; i < n; i++) await createItem(t, `item-${i}`, i % 4 === 3 ? ['other'] : ['big', 'other']);
    const members = Array.from({ length: n }, (_, i) => `item-${i}`).filter((_, i) => i % 4 !== 3);
    const all = await catalogGet(app, t.projectId, '/items/virtual_items');
    const ids = new Map<string, number>(
      all.json().items.map((i: { sku: string; item_id: number }) => [i.sku, i.item_id]),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: members.length, maxLength: members.length }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('/items/virtual_items/group/big', '/items/group/big'),
        async (positions, pageSizes, base) => {
          await ok(
            await t.adminCall(
              'PUT',
              '/admin/group/big/order/item',
              members.map((sku, i) => ({ item_id: ids.get(sku)!, order: positions[i] })),
            ),
            204,
          );
          const seen: { sku: string; pos: number }[] = [];
          let offset = 0;
          for (let page = 0; page < 200; page++) {
            const limit = pageSizes[page % pageSizes.length];
            const res = await catalogGet(
              app,
              t.projectId,
              `${base}?limit=${limit}&offset=${offset}&additional_fields[]=item_order_in_group`,
            );
            expect(res.statusCode).toBe(200);
            const body = res.json() as {
              has_more: boolean;
              items: { sku: string; groups: { external_id: string; item_order_in_group: number }[] }[];
            };
            expect(body.items.length).toBeLessThanOrEqual(limit);
            for (const i of body.items)
              seen.push({
                sku: i.sku,
                pos: i.groups.find((g) => g.external_id === 'big')!.item_order_in_group,
              });
            offset += body.items.length;
            if (!body.has_more) break;
            expect(body.items.length).toBe(limit);
          }
          expect(seen.map((s) => s.sku).sort()).toEqual([...members].sort());
          expect(new Set(seen.map((s) => s.sku)).size).toBe(members.length);
          const expectedPos = new Map(members.map((sku, i) => [sku, positions[i]]));
          expect(seen.map((s) => s.pos)).toEqual(seen.map((s) => expectedPos.get(s.sku)));
          for (let i = 1; i < seen.length; i++) expect(seen[i - 1].pos).toBeLessThanOrEqual(seen[i].pos);
        },
      ),
      { numRuns: 15 },
    );
  });
});
