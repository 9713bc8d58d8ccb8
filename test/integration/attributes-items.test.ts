/**
 * Attributes on items: item bodies and the attribute admin API share one set of attributes and one set of
 * rules (20 values per attribute, 20 attributes and 6 values per attribute on an item); admin item views and
 * the client catalog show renamed attributes and values on the next read (the snapshot is invalidated by every
 * attribute write), and deleting an attribute, a value or all values removes them from every item.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

const ATTR = '/admin/attribute';
const ITEMS = '/admin/items/virtual_items';

function expectError(res: LightMyRequestResponse, status: number, code: number) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: status, errorCode: code });
  expect(body.errorMessage.startsWith(`[0401-${code}]: `), body.errorMessage).toBe(true);
  return body;
}

type Attr = { external_id: string; name: unknown; values: { external_id: string; value: unknown }[] };

const item = (sku: string, attributes: unknown[]) => ({
  sku,
  name: { en: sku },
  prices: [{ amount: 1.99, currency: 'USD', is_default: true }],
  attributes,
});
const valuesOf = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ external_id: `v${from + i}`, value: { en: `V${from + i}` } }));

/** The item's attributes as the catalog shows them (locale strings). */
async function catalogAttributes(sku: string, locale = 'en'): Promise<Attr[]> {
  const res = await catalogGet(app, t.projectId, `/items/virtual_items/sku/${sku}?locale=${locale}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().attributes;
}
/** The item's attributes as the admin item view shows them (localization objects). */
async function adminAttributes(sku: string): Promise<Attr[]> {
  const res = await t.adminCall('GET', `${ITEMS}/sku/${sku}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().attributes;
}

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
});
afterAll(async () => app.close());

describe('one set of attributes for item bodies and the admin API', () => {
  it('an item body creates attributes and values the admin API then shows', async () => {
    const res = await t.adminCall(
      'POST',
      ITEMS,
      item('sword', [
        {
          external_id: 'genre',
          name: { 'en-US': 'Genre', 'de-DE': 'Gattung' },
          values: [
            { external_id: 'action', value: { en: 'Action', de: 'Aktion' } },
            { external_id: 'rpg', value: { en: 'RPG' } },
          ],
        },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const attr = (await t.adminCall('GET', `${ATTR}/genre`)).json();
    expect(attr).toEqual({
      external_id: 'genre',
      name: { en: 'Genre', de: 'Gattung' },
      values: [
        { external_id: 'action', value: { en: 'Action', de: 'Aktion' } },
        { external_id: 'rpg', value: { en: 'RPG' } },
      ],
    });
  });

  it('an item body links values created through the admin API (no duplicates)', async () => {
    expect(
      (
        await t.adminCall('POST', ATTR, {
          external_id: 'platform',
          name: { en: 'Platform', de: 'Plattform' },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await t.adminCall('POST', `${ATTR}/platform/value`, { external_id: 'pc', value: { en: 'PC' } }))
        .statusCode,
    ).toBe(201);
    const res = await t.adminCall(
      'POST',
      ITEMS,
      item('shield', [{ external_id: 'platform', values: [{ external_id: 'pc', value: { en: 'PC' } }] }]),
    );
    expect(res.statusCode, res.body).toBe(201);
    // the body gave no name: the attribute keeps its own
    expect(await adminAttributes('shield')).toEqual([
      {
        external_id: 'platform',
        name: { en: 'Platform', de: 'Plattform' },
        values: [{ external_id: 'pc', value: { en: 'PC' } }],
      },
    ]);
    const list = (await t.adminCall('GET', ATTR)).json();
    expect(list.total_count).toBe(2);
    expect(list.attributes.find((a: Attr) => a.external_id === 'platform').values).toHaveLength(1);
  });

  it('the catalog shows item attributes as strings of the requested locale, falling back to en', async () => {
    expect(await catalogAttributes('sword', 'de')).toEqual([
      {
        external_id: 'genre',
        name: 'Gattung',
        values: [
          { external_id: 'action', value: 'Aktion' },
          { external_id: 'rpg', value: 'RPG' },
        ],
      },
    ]);
    expect((await catalogAttributes('sword', 'fr'))[0].name).toBe('Genre');
  });
});

describe('changes reach items on the next read', () => {
  it('renaming an attribute shows in the admin item view and the catalog', async () => {
    await catalogAttributes('sword'); // the snapshot is loaded before the change
    const res = await t.adminCall('PUT', `${ATTR}/genre`, {
      external_id: 'game_genre',
      name: { en: 'Game genre', de: 'Spielgattung' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await adminAttributes('sword'))[0]).toMatchObject({
      external_id: 'game_genre',
      name: { en: 'Game genre', de: 'Spielgattung' },
    });
    const shown = await catalogAttributes('sword', 'de');
    expect(shown[0]).toMatchObject({ external_id: 'game_genre', name: 'Spielgattung' });
    const list = (await catalogGet(app, t.projectId, '/items/virtual_items?locale=en')).json();
    const sword = list.items.find((i: { sku: string }) => i.sku === 'sword');
    expect(sword.attributes[0].name).toBe('Game genre');
  });

  it('updating a value (text and external id) shows on every item holding it', async () => {
    await catalogAttributes('sword');
    const res = await t.adminCall('PUT', `${ATTR}/game_genre/value/action`, {
      external_id: 'action-adventure',
      value: { en: 'Action-adventure' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await catalogAttributes('sword', 'de'))[0].values).toEqual([
      { external_id: 'action-adventure', value: 'Action-adventure' },
      { external_id: 'rpg', value: 'RPG' },
    ]);
    expect((await adminAttributes('sword'))[0].values[0]).toEqual({
      external_id: 'action-adventure',
      value: { en: 'Action-adventure' },
    });
  });

  it('deleting one value removes it from items; the item stays', async () => {
    await catalogAttributes('sword');
    expect((await t.adminCall('DELETE', `${ATTR}/game_genre/value/rpg`)).statusCode).toBe(204);
    expect((await catalogAttributes('sword'))[0].values).toEqual([
      { external_id: 'action-adventure', value: 'Action-adventure' },
    ]);
    expect((await adminAttributes('sword'))[0].values).toHaveLength(1);
  });

  it('deleting all values of an attribute removes the attribute from items; the attribute stays', async () => {
    await catalogAttributes('sword');
    expect((await t.adminCall('DELETE', `${ATTR}/game_genre/value`)).statusCode).toBe(204);
    expect(await catalogAttributes('sword')).toEqual([]);
    expect(await adminAttributes('sword')).toEqual([]);
    expect((await t.adminCall('GET', `${ATTR}/game_genre`)).json().values).toEqual([]);
    const links = await app.services.database.db
      .selectFrom('item_attribute_values as l')
      .innerJoin('items as i', 'i.item_id', 'l.item_id')
      .select('l.value_id')
      .where('i.project_id', '=', t.projectId)
      .where('i.sku', '=', 'sword')
      .execute();
    expect(links).toEqual([]);
  });

  it('deleting an attribute removes it from every item; the items stay', async () => {
    expect(
      (
        await t.adminCall(
          'PUT',
          `${ITEMS}/sku/sword`,
          item('sword', [
            { external_id: 'platform', values: [{ external_id: 'pc', value: { en: 'PC' } }] },
            {
              external_id: 'tier',
              name: { en: 'Tier' },
              values: [{ external_id: 'gold', value: { en: 'Gold' } }],
            },
          ]),
        )
      ).statusCode,
    ).toBe(204);
    expect((await catalogAttributes('sword')).map((a) => a.external_id)).toEqual(['platform', 'tier']);
    expect((await t.adminCall('DELETE', `${ATTR}/platform`)).statusCode).toBe(204);
    expect((await catalogAttributes('sword')).map((a) => a.external_id)).toEqual(['tier']);
    expect(await catalogAttributes('shield')).toEqual([]);
    expect(await adminAttributes('shield')).toEqual([]);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items/sku/shield')).statusCode).toBe(200);
  });

  it('a rejected attribute write leaves the catalog as it was', async () => {
    const before = await catalogAttributes('sword');
    expectError(
      await t.adminCall('POST', `${ATTR}/tier/value`, { external_id: 'gold', value: { en: 'x' } }),
      422,
      9907,
    );
    expect(await catalogAttributes('sword')).toEqual(before);
  });
});

describe('limits shared by both paths', () => {
  it('item bodies: 6 values of one attribute pass, 7 are 422/9909 (also split over two entries)', async () => {
    const six = await t.adminCall('POST', ITEMS, item('six', [{ external_id: 'lim6', values: valuesOf(6) }]));
    expect(six.statusCode, six.body).toBe(201);
    expectError(
      await t.adminCall('POST', ITEMS, item('seven', [{ external_id: 'lim6', values: valuesOf(7) }])),
      422,
      9909,
    );
    const split = item('split', [
      { external_id: 'lim6', values: valuesOf(4) },
      { external_id: 'lim6', values: valuesOf(3, 4) },
    ]);
    expectError(await t.adminCall('POST', ITEMS, split), 422, 9909);
    // the same value named twice counts once
    const repeated = item('repeated', [
      { external_id: 'lim6', values: valuesOf(6) },
      { external_id: 'lim6', values: valuesOf(1) },
    ]);
    expect((await t.adminCall('POST', ITEMS, repeated)).statusCode).toBe(201);
    expect((await adminAttributes('repeated'))[0].values).toHaveLength(6);
    expect((await t.adminCall('GET', `${ITEMS}/sku/seven`)).statusCode).toBe(404);
  });

  it('item bodies: 20 attributes pass, 21 are 422/9908', async () => {
    const attrs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ external_id: `many_${i}`, values: valuesOf(1) }));
    expect((await t.adminCall('POST', ITEMS, item('twenty', attrs(20)))).statusCode).toBe(201);
    const err = expectError(await t.adminCall('POST', ITEMS, item('twentyone', attrs(21))), 422, 9908);
    expect(err.errorMessage).toContain('number of attributes you specified for the item');
  });

  it('item bodies cannot grow an attribute past 20 values (422/9908) and leave nothing behind', async () => {
    for (let k = 0; k < 3; k++) {
      const res = await t.adminCall(
        'POST',
        ITEMS,
        item(`fill_${k}`, [{ external_id: 'cap', values: valuesOf(6, k * 6) }]),
      );
      expect(res.statusCode, res.body).toBe(201);
    }
    // 18 values so far: 2 more fit exactly
    const fits = await t.adminCall(
      'POST',
      ITEMS,
      item('fill_3', [{ external_id: 'cap', values: valuesOf(2, 18) }]),
    );
    expect(fits.statusCode, fits.body).toBe(201);
    const over = await t.adminCall(
      'POST',
      ITEMS,
      item('fill_4', [{ external_id: 'cap', values: valuesOf(1, 20) }]),
    );
    const err = expectError(over, 422, 9908);
    expect(err.errorMessage).toBe('[0401-9908]: You reached the maximum number of values for the attribute.');
    expect((await t.adminCall('GET', `${ITEMS}/sku/fill_4`)).statusCode).toBe(404);
    expect((await t.adminCall('GET', `${ATTR}/cap`)).json().values).toHaveLength(20);
    // reusing existing values is not growing the attribute
    const reuse = await t.adminCall(
      'POST',
      ITEMS,
      item('fill_5', [{ external_id: 'cap', values: valuesOf(6, 14) }]),
    );
    expect(reuse.statusCode, reuse.body).toBe(201);
  });

  it('an attribute filled by item bodies refuses a 21st value through the admin API, and vice versa', async () => {
    expectError(
      await t.adminCall('POST', `${ATTR}/cap/value`, { external_id: 'v20', value: { en: 'V20' } }),
      422,
      9908,
    );
    expect(
      (await t.adminCall('POST', ATTR, { external_id: 'admin_cap', name: { en: 'Cap' } })).statusCode,
    ).toBe(201);
    for (let i = 0; i < 20; i++) {
      const res = await t.adminCall('POST', `${ATTR}/admin_cap/value`, {
        external_id: `v${i}`,
        value: { en: `V${i}` },
      });
      expect(res.statusCode).toBe(201);
    }
    expectError(
      await t.adminCall(
        'POST',
        ITEMS,
        item('admin_cap_item', [{ external_id: 'admin_cap', values: valuesOf(1, 20) }]),
      ),
      422,
      9908,
    );
    expect(
      (
        await t.adminCall(
          'POST',
          ITEMS,
          item('admin_cap_item', [{ external_id: 'admin_cap', values: valuesOf(6) }]),
        )
      ).statusCode,
    ).toBe(201);
  });
});
