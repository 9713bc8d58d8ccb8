/**
 * Item group admin API (endpoints.tsv item-groups-admin; docs/decisions/0008-item-group-admin-api.md): create,
 * read, list, replace (rename, move), delete (items unlinked, children moved up), nesting limits, item counts
 * (all types and per item type), reorders of groups and of items in a group, and routing of the
 * `/admin/items/{item_type}/groups` paths next to the static item routes.
 */
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

interface AdminGroup {
  id: number;
  external_id: string;
  name: Record<string, string>;
  description: Record<string, string> | null;
  image_url: string | null;
  is_enabled: boolean;
  items_count: number;
  order: number;
  parent_external_id: string | null;
  level: number;
  is_contains_any_items?: boolean;
}

const listGroups = async (t: Tenant, path = '/admin/items/groups') =>
  ((await ok(await t.adminCall('GET', path), 200)) as { groups: AdminGroup[] }).groups;

const errorOf = (res: { statusCode: number; json(): unknown }) => {
  const b = res.json() as { statusCode: number; errorCode: number; errorMessage: string };
  return [res.statusCode, b.errorCode, b.statusCode];
};

describe('create and read', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
  });

  it('creates a group from the camelCase body and answers 201 {external_id}', async () => {
    const res = await t.adminCall('POST', '/admin/items/groups', {
      external_id: 'weapons',
      name: { 'en-US': 'Weapons', de: 'Waffen' },
      description: { en: 'All weapons' },
      iconUrl: 'https://cdn.example.com/weapons.png',
      isEnabled: false,
      order: 7,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ external_id: 'weapons' });

    const group = await ok(await t.adminCall('GET', '/admin/items/groups/weapons'), 200);
    expect(group).toEqual({
      id: expect.any(Number),
      external_id: 'weapons',
      name: { en: 'Weapons', de: 'Waffen' },
      description: { en: 'All weapons' },
      image_url: 'https://cdn.example.com/weapons.png',
      is_enabled: false,
      items_count: 0,
      order: 7,
      parent_external_id: null,
      level: 0,
    });
  });

  it('applies defaults: enabled, order 1, no description, no image', async () => {
    await ok(
      await t.adminCall('POST', '/admin/items/groups', { external_id: 'plain', name: { en: 'Plain' } }),
      201,
    );
    expect(await ok(await t.adminCall('GET', '/admin/items/groups/plain'), 200)).toMatchObject({
      description: null,
      image_url: null,
      is_enabled: true,
      order: 1,
    });
  });

  it('lists every group wrapped as {groups}', async () => {
    const groups = await listGroups(t);
    expect(groups.map((g) => g.external_id).sort()).toEqual(['plain', 'weapons']);
  });

  it('rejects invalid bodies with 422/1102 and creates nothing', async () => {
    const bad: [string, unknown][] = [
      ['no name', { external_id: 'x1' }],
      ['null name', { external_id: 'x2', name: null }],
      ['empty name', { external_id: 'x3', name: {} }],
      ['no external_id', { name: { en: 'X' } }],
      ['external_id with a space', { external_id: 'a b', name: { en: 'X' } }],
      ['external_id with a dot', { external_id: 'a.b', name: { en: 'X' } }],
      ['unknown language key', { external_id: 'x4', name: { english: 'X' } }],
      ['isEnabled not boolean', { external_id: 'x5', name: { en: 'X' }, isEnabled: 'yes' }],
      ['order not integer', { external_id: 'x6', name: { en: 'X' }, order: 1.5 }],
      ['order beyond 32 bits', { external_id: 'x7', name: { en: 'X' }, order: 2 ** 40 }],
      ['taken external_id', { external_id: 'weapons', name: { en: 'X' } }],
      ['unknown parent', { external_id: 'x8', name: { en: 'X' }, parent_external_id: 'nope' }],
      ['not an object', [1, 2]],
    ];
    for (const [what, body] of bad) {
      const res = await t.adminCall('POST', '/admin/items/groups', body);
      expect(errorOf(res), `${what}: ${res.body}`).toEqual([422, 1102, 422]);
    }
    expect((await listGroups(t)).map((g) => g.external_id).sort()).toEqual(['plain', 'weapons']);
  });

  it('answers 404/4403 for an unknown group', async () => {
    const res = await t.adminCall('GET', '/admin/items/groups/nope');
    expect(errorOf(res)).toEqual([404, 4403, 404]);
    expect(res.json().errorMessage).toBe('[0401-4403]: Item group not found');
  });

  it("never shows or touches another project's group", async () => {
    const other = await createTenant(app);
    await createGroup(other, { external_id: 'secret' });
    expect((await t.adminCall('GET', '/admin/items/groups/secret')).statusCode).toBe(404);
    expect((await t.adminCall('DELETE', '/admin/items/groups/secret')).statusCode).toBe(404);
    expect(
      (
        await t.adminCall('PUT', '/admin/items/groups/secret', {
          external_id: 'secret',
          name: { en: 'Mine' },
        })
      ).statusCode,
    ).toBe(404);
    // the same external id may exist in both projects
    await createGroup(t, { external_id: 'secret' });
    expect((await other.adminCall('GET', '/admin/items/groups/secret')).json().name).toEqual({
      en: 'secret',
    });
  });
});

describe('nesting', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, { external_id: 'gear', order: 1 });
    await createGroup(t, { external_id: 'weapons', parent_external_id: 'gear', order: 2 });
    await createGroup(t, { external_id: 'armour', parent_external_id: 'gear', order: 1 });
    await createGroup(t, { external_id: 'swords', parent_external_id: 'weapons' });
    await createGroup(t, { external_id: 'misc', order: 5 });
  });

  it('lists parents before their children, siblings by order, with parent and level', async () => {
    const groups = await listGroups(t);
    expect(groups.map((g) => [g.external_id, g.parent_external_id, g.level])).toEqual([
      ['gear', null, 0],
      ['armour', 'gear', 1],
      ['weapons', 'gear', 1],
      ['swords', 'weapons', 2],
      ['misc', null, 0],
    ]);
  });

  it('refuses a fourth level (422) on create and on a move', async () => {
    const res = await t.adminCall('POST', '/admin/items/groups', {
      external_id: 'daggers',
      name: { en: 'Daggers' },
      parent_external_id: 'swords',
    });
    expect(errorOf(res)).toEqual([422, 1102, 422]);
    // misc has no children: under swords it would be level 3
    await createGroup(t, { external_id: 'sub', parent_external_id: 'misc' });
    const move = await t.adminCall('PUT', '/admin/items/groups/misc', {
      external_id: 'misc',
      name: { en: 'Misc' },
      parent_external_id: 'armour',
    });
    expect(errorOf(move), move.body).toEqual([422, 1102, 422]);
    await ok(await t.adminCall('DELETE', '/admin/items/groups/sub'), 204);
  });

  it('refuses to nest a group in itself or its descendants', async () => {
    for (const parent of ['gear', 'weapons', 'swords']) {
      const res = await t.adminCall('PUT', '/admin/items/groups/gear', {
        external_id: 'gear',
        name: { en: 'Gear' },
        parent_external_id: parent,
      });
      expect(errorOf(res), parent).toEqual([422, 1102, 422]);
    }
  });

  it('moves a group: parent left out keeps it, null moves to the top, a parent moves under it', async () => {
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/swords', {
        external_id: 'swords',
        name: { en: 'Swords' },
      }),
      204,
    );
    let byId = new Map((await listGroups(t)).map((g) => [g.external_id, g]));
    expect(byId.get('swords')).toMatchObject({ parent_external_id: 'weapons', level: 2 });

    await ok(
      await t.adminCall('PUT', '/admin/items/groups/weapons', {
        external_id: 'weapons',
        name: { en: 'Weapons' },
        parent_external_id: null,
      }),
      204,
    );
    byId = new Map((await listGroups(t)).map((g) => [g.external_id, g]));
    expect(byId.get('weapons')).toMatchObject({ parent_external_id: null, level: 0 });
    expect(byId.get('swords')).toMatchObject({ parent_external_id: 'weapons', level: 1 });

    await ok(
      await t.adminCall('PUT', '/admin/items/groups/weapons', {
        external_id: 'weapons',
        name: { en: 'Weapons' },
        parent_external_id: 'misc',
      }),
      204,
    );
    byId = new Map((await listGroups(t)).map((g) => [g.external_id, g]));
    expect(byId.get('swords')).toMatchObject({ parent_external_id: 'weapons', level: 2 });
  });
});

describe('update', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, {
      external_id: 'old',
      description: { en: 'Old one' },
      iconUrl: 'https://x/y.png',
      order: 3,
    });
    await createGroup(t, { external_id: 'taken' });
    await createItem(t, 'sword', ['old']);
  });

  it('replaces the group: fields left out take their defaults', async () => {
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/old', { external_id: 'old', name: { en: 'Renamed' } }),
      204,
    );
    expect(await ok(await t.adminCall('GET', '/admin/items/groups/old'), 200)).toMatchObject({
      name: { en: 'Renamed' },
      description: null,
      image_url: null,
      is_enabled: true,
      order: 1,
      items_count: 1,
    });
  });

  it('renames through external_id in the body; the items follow', async () => {
    await ok(
      await t.adminCall('PUT', '/admin/items/groups/old', { external_id: 'new-name', name: { en: 'New' } }),
      204,
    );
    expect((await t.adminCall('GET', '/admin/items/groups/old')).statusCode).toBe(404);
    expect(await ok(await t.adminCall('GET', '/admin/items/groups/new-name'), 200)).toMatchObject({
      items_count: 1,
    });
    const item = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/sword'), 200);
    expect(item.groups).toEqual([{ external_id: 'new-name', name: { en: 'New' } }]);
    const page = await catalogGet(app, t.projectId, '/items/virtual_items/group/new-name');
    expect(page.json().items.map((i: { sku: string }) => i.sku)).toEqual(['sword']);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items/group/old')).statusCode).toBe(404);
  });

  it('refuses a rename onto a taken external id (422) and an unknown group (404)', async () => {
    const res = await t.adminCall('PUT', '/admin/items/groups/new-name', {
      external_id: 'taken',
      name: { en: 'X' },
    });
    expect(errorOf(res)).toEqual([422, 1102, 422]);
    const missing = await t.adminCall('PUT', '/admin/items/groups/nope', {
      external_id: 'nope',
      name: { en: 'X' },
    });
    expect(errorOf(missing)).toEqual([404, 4403, 404]);
    const invalid = await t.adminCall('PUT', '/admin/items/groups/taken', { external_id: 'taken' });
    expect(errorOf(invalid)).toEqual([422, 1102, 422]);
  });
});

describe('delete', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, { external_id: 'top' });
    await createGroup(t, { external_id: 'mid', parent_external_id: 'top' });
    await createGroup(t, { external_id: 'leaf', parent_external_id: 'mid' });
    await createGroup(t, { external_id: 'other' });
    await createItem(t, 'sword', ['mid', 'other']);
    await createItem(t, 'bow', ['mid']);
  });

  it('unlinks the items (they stay), moves children up to the parent, and answers 204', async () => {
    await ok(await t.adminCall('DELETE', '/admin/items/groups/mid'), 204);
    expect((await t.adminCall('GET', '/admin/items/groups/mid')).statusCode).toBe(404);
    const sword = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/sword'), 200);
    expect(sword.groups.map((g: { external_id: string }) => g.external_id)).toEqual(['other']);
    const bow = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/bow'), 200);
    expect(bow.groups).toEqual([]);
    const groups = await listGroups(t);
    expect(groups.map((g) => [g.external_id, g.parent_external_id, g.level])).toEqual([
      ['other', null, 0],
      ['top', null, 0],
      ['leaf', 'top', 1],
    ]);
    const catalog = await catalogGet(app, t.projectId, '/items/virtual_items');
    expect(
      catalog
        .json()
        .items.map((i: { sku: string }) => i.sku)
        .sort(),
    ).toEqual(['bow', 'sword']);
    expect((await catalogGet(app, t.projectId, '/items/group/mid')).statusCode).toBe(404);
  });

  it('answers 404/4403 for an unknown group', async () => {
    expect(errorOf(await t.adminCall('DELETE', '/admin/items/groups/mid'))).toEqual([404, 4403, 404]);
  });
});

describe('item counts and the item-type filter', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, { external_id: 'shop' });
    await createGroup(t, { external_id: 'empty' });
    await createGroup(t, { external_id: 'child', parent_external_id: 'shop' });
    await ok(
      await t.adminCall('POST', '/admin/items/virtual_currency', {
        sku: 'gold',
        name: { en: 'Gold' },
        prices: price,
        groups: ['shop'],
      }),
      201,
    );
    await ok(
      await t.adminCall('POST', '/admin/items/virtual_currency/package', {
        sku: 'gold-pack',
        name: { en: 'Gold pack' },
        description: { en: '100 gold' },
        prices: price,
        content: [{ sku: 'gold', quantity: 100 }],
        groups: ['shop'],
      }),
      201,
    );
    await createItem(t, 'sword', ['shop', 'child']);
    await createItem(t, 'bow', ['shop'], { is_enabled: false });
  });

  it('counts the direct members of every type (disabled items too)', async () => {
    const counts = Object.fromEntries((await listGroups(t)).map((g) => [g.external_id, g.items_count]));
    expect(counts).toEqual({ shop: 4, child: 1, empty: 0 });
    expect((await t.adminCall('GET', '/admin/items/groups/shop')).json().items_count).toBe(4);
  });

  it('counts only the requested type, and says whether the group holds anything', async () => {
    const cases: [string, number][] = [
      ['virtual_items', 2],
      ['virtual_currency', 1],
      ['virtual_currency%2Fpackage', 1],
      ['bundle', 0],
      ['game', 0],
      ['game%2Fkey', 0],
      ['value_points', 0],
      ['subscription_plans', 0],
    ];
    for (const [type, count] of cases) {
      const groups = await listGroups(t, `/admin/items/${type}/groups`);
      const shop = groups.find((g) => g.external_id === 'shop');
      expect(shop, type).toMatchObject({ items_count: count, is_contains_any_items: true, level: 0 });
      expect(
        groups.find((g) => g.external_id === 'empty'),
        type,
      ).toMatchObject({
        items_count: 0,
        is_contains_any_items: false,
      });
      const one = await ok(await t.adminCall('GET', `/admin/items/${type}/groups/shop`), 200);
      expect(one, type).toEqual(shop);
    }
  });

  it('rejects an unknown item type (422) and an unknown group (404)', async () => {
    expect(errorOf(await t.adminCall('GET', '/admin/items/swords/groups'))).toEqual([422, 1102, 422]);
    expect(errorOf(await t.adminCall('GET', '/admin/items/virtual_items/groups/nope'))).toEqual([
      404, 4403, 404,
    ]);
  });

  it('keeps the static item routes next to /admin/items/{item_type}/groups', async () => {
    expect((await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/sword'), 200)).sku).toBe(
      'sword',
    );
    expect((await ok(await t.adminCall('GET', '/admin/items/virtual_items'), 200)).items).toHaveLength(2);
    expect(
      (await ok(await t.adminCall('GET', '/admin/items/virtual_currency/package'), 200)).items,
    ).toHaveLength(1);
    expect((await ok(await t.adminCall('GET', '/admin/items/virtual_currency/sku/gold'), 200)).sku).toBe(
      'gold',
    );
    const { id } = await ok(await t.adminCall('GET', '/admin/items/groups/shop'), 200);
    const byGroup = await ok(await t.adminCall('GET', `/admin/items/virtual_items/group/id/${id}`), 200);
    expect(byGroup.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['bow', 'sword']);
    const byExt = await ok(
      await t.adminCall('GET', '/admin/items/virtual_items/group/external_id/shop'),
      200,
    );
    expect(byExt.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['bow', 'sword']);
    // a group named like a path segment is still reached by external id
    await createGroup(t, { external_id: 'groups' });
    expect((await ok(await t.adminCall('GET', '/admin/items/groups/groups'), 200)).external_id).toBe(
      'groups',
    );
  });
});

describe('reorder groups', () => {
  let t: Tenant;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTenant(app);
    for (const g of ['a', 'b', 'c']) await createGroup(t, { external_id: g, order: 1 });
    ids = Object.fromEntries((await listGroups(t)).map((g) => [g.external_id, g.id]));
  });

  it('sets the order of the groups listed (by external_id or id); others keep theirs', async () => {
    // equal orders: newest first
    expect((await listGroups(t)).map((g) => g.external_id)).toEqual(['c', 'b', 'a']);
    await ok(
      await t.adminCall('PUT', '/admin/group/order', [
        { external_id: 'c', order: 3 },
        { id: ids.a, order: 0 },
      ]),
      204,
    );
    expect((await listGroups(t)).map((g) => [g.external_id, g.order])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 3],
    ]);
    const tree = await catalogGet(app, t.projectId, '/items/groups');
    expect(tree.json().groups.map((g: { external_id: string }) => g.external_id)).toEqual(['a', 'b', 'c']);
  });

  it('answers 404/4403 for an unknown group and 422 for a bad body, changing nothing', async () => {
    const before = await listGroups(t);
    expect(
      errorOf(
        await t.adminCall('PUT', '/admin/group/order', [
          { external_id: 'b', order: 9 },
          { external_id: 'zzz', order: 1 },
        ]),
      ),
    ).toEqual([404, 4403, 404]);
    for (const body of [
      { external_id: 'b', order: 2 },
      [{ external_id: 'b' }],
      [{ order: 2 }],
      [{ external_id: 'b', order: 'x' }],
      [
        { external_id: 'b', order: 2 },
        { id: ids.b, order: 3 },
      ],
    ]) {
      expect(errorOf(await t.adminCall('PUT', '/admin/group/order', body)), JSON.stringify(body)).toEqual([
        422, 1102, 422,
      ]);
    }
    expect(await listGroups(t)).toEqual(before);
  });
});

describe('reorder items in a group', () => {
  let t: Tenant;
  let groupId: number;
  let itemIds: Record<string, number>;
  beforeAll(async () => {
    t = await createTenant(app);
    await createGroup(t, { external_id: 'armour' });
    await createGroup(t, { external_id: 'id' });
    for (const sku of ['helmet', 'shield', 'boots']) await createItem(t, sku, ['armour', 'id']);
    await createItem(t, 'outsider', []);
    groupId = (await t.adminCall('GET', '/admin/items/groups/armour')).json().id;
    const all = await catalogGet(app, t.projectId, '/items/virtual_items');
    itemIds = Object.fromEntries(
      all.json().items.map((i: { sku: string; item_id: number }) => [i.sku, i.item_id]),
    );
  });

  const inGroup = async (group = 'armour') => {
    const res = await catalogGet(
      app,
      t.projectId,
      `/items/virtual_items/group/${group}?additional_fields[]=item_order_in_group`,
    );
    return res
      .json()
      .items.map((i: { sku: string; groups: { external_id: string; item_order_in_group: number }[] }) => [
        i.sku,
        i.groups.find((g) => g.external_id === group)!.item_order_in_group,
      ]);
  };

  it('lists items in the order they were added by default', async () => {
    expect(await inGroup()).toEqual([
      ['helmet', 1],
      ['shield', 2],
      ['boots', 3],
    ]);
  });

  it('sets item_order_in_group by item_id through the group external id', async () => {
    await ok(
      await t.adminCall('PUT', '/admin/group/armour/order/item', [
        { item_id: itemIds.boots, order: 1 },
        { item_id: itemIds.helmet, order: 5 },
      ]),
      204,
    );
    expect(await inGroup()).toEqual([
      ['boots', 1],
      ['shield', 2],
      ['helmet', 5],
    ]);
    // the other group is untouched
    expect((await inGroup('id')).map((r: unknown[]) => r[0])).toEqual(['helmet', 'shield', 'boots']);
  });

  it('sets it through the numeric group id, items by item_id or sku', async () => {
    await ok(
      await t.adminCall('PUT', `/admin/group/id/${groupId}/order/item`, [
        { sku: 'shield', order: 0 },
        { item_id: itemIds.helmet, order: 1 },
      ]),
      204,
    );
    // equal positions: the catalog order decides (all `order` 1: newest first)
    expect(await inGroup()).toEqual([
      ['shield', 0],
      ['boots', 1],
      ['helmet', 1],
    ]);
    const admin = await t.adminCall('GET', `/admin/items/virtual_items/group/id/${groupId}`);
    expect(admin.json().items.map((i: { sku: string }) => i.sku)[0]).toBe('shield');
  });

  it('routes a group whose external id is "id" to the external-id operation', async () => {
    await ok(await t.adminCall('PUT', '/admin/group/id/order/item', [{ sku: 'boots', order: -1 }]), 204);
    expect((await inGroup('id'))[0]).toEqual(['boots', -1]);
  });

  it('refuses items outside the group and duplicates (422), unknown groups (404), changing nothing', async () => {
    const before = await inGroup();
    const cases: [string, unknown, number[]][] = [
      ['/admin/group/armour/order/item', [{ item_id: itemIds.outsider, order: 1 }], [422, 1102, 422]],
      ['/admin/group/armour/order/item', [{ sku: 'nope', order: 1 }], [422, 1102, 422]],
      [
        '/admin/group/armour/order/item',
        [
          { sku: 'boots', order: 1 },
          { item_id: itemIds.boots, order: 2 },
        ],
        [422, 1102, 422],
      ],
      ['/admin/group/armour/order/item', [{ sku: 'boots' }], [422, 1102, 422]],
      ['/admin/group/armour/order/item', { sku: 'boots', order: 1 }, [422, 1102, 422]],
      ['/admin/group/nope/order/item', [{ sku: 'boots', order: 1 }], [404, 4403, 404]],
      ['/admin/group/id/999999999/order/item', [{ sku: 'boots', order: 1 }], [404, 4403, 404]],
    ];
    for (const [path, body, expected] of cases) {
      expect(errorOf(await t.adminCall('PUT', path, body)), `${path} ${JSON.stringify(body)}`).toEqual(
        expected,
      );
    }
    expect(await inGroup()).toEqual(before);
  });

  it('keeps an item position when the item is replaced by an admin PUT', async () => {
    const before = await inGroup();
    await ok(
      await t.adminCall('PUT', '/admin/items/virtual_items/sku/helmet', {
        sku: 'helmet',
        name: { en: 'Helmet v2' },
        prices: price,
        groups: ['armour', 'id'],
      }),
      204,
    );
    expect(await inGroup()).toEqual(before);
  });
});
