/**
 * Attribute admin API (endpoints.tsv group attribute-admin): the 9 operations, their error codes (9901 attribute
 * not found, 9906 value not found, 9907 value exists, 9908 value limit of an attribute, 1102 validation),
 * limits at and one past the boundary, localization keys, and that a rejected write changes nothing.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

const ATTR = '/admin/attribute';

/** The Xsolla envelope with `status` and `code`; returns the body. */
function expectError(res: LightMyRequestResponse, status: number, code: number) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: status, errorCode: code });
  expect(body.errorMessage.startsWith(`[0401-${code}]: `), body.errorMessage).toBe(true);
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
  return body;
}

async function catalogVersion(projectId: number) {
  const row = await app.services.database.db
    .selectFrom('projects')
    .select('catalog_version')
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return String(row.catalog_version);
}

const create = (external_id: string, name: Record<string, string> = { en: external_id }) =>
  t.adminCall('POST', ATTR, { external_id, name });
const addValue = (attr: string, external_id: string, value: Record<string, string> = { en: external_id }) =>
  t.adminCall('POST', `${ATTR}/${attr}/value`, { external_id, value });
const getAttr = async (attr: string) => {
  const res = await t.adminCall('GET', `${ATTR}/${attr}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
});
afterAll(async () => app.close());

describe('create and read attributes', () => {
  it('creates an attribute (201 {external_id}) that reads back with no values', async () => {
    const res = await create('genre', { en: 'Genre', de: 'Genre (de)' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ external_id: 'genre' });
    expect(await getAttr('genre')).toEqual({
      external_id: 'genre',
      name: { en: 'Genre', de: 'Genre (de)' },
      values: [],
    });
  });

  it('stores five-letter localization keys as two-letter ones, the last of en/en-US winning', async () => {
    const res = await create('platform', { 'en-US': 'Platform (US)', en: 'Platform', 'de-DE': 'Plattform' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await getAttr('platform')).name).toEqual({ en: 'Platform', de: 'Plattform' });
    await create('platform2', { en: 'Platform', 'en-US': 'Platform (US)' });
    expect((await getAttr('platform2')).name).toEqual({ en: 'Platform (US)' });
  });

  it('accepts external ids of letters, digits, dashes and underscores up to 255 characters', async () => {
    for (const id of ['A-z_09', 'x'.repeat(255)]) {
      const res = await create(id);
      expect(res.statusCode, res.body).toBe(201);
      expect((await getAttr(id)).external_id).toBe(id);
    }
  });

  it('rejects invalid bodies with 422/1102 naming the property, and creates nothing', async () => {
    const before = await catalogVersion(t.projectId);
    const cases: [string, unknown, string][] = [
      ['no external_id', { name: { en: 'x' } }, 'external_id'],
      ['no name', { external_id: 'no_name' }, 'name'],
      ['a space', { external_id: 'a b', name: { en: 'x' } }, 'external_id'],
      ['a dot', { external_id: 'a.b', name: { en: 'x' } }, 'external_id'],
      ['empty id', { external_id: '', name: { en: 'x' } }, 'external_id'],
      ['256 characters', { external_id: 'y'.repeat(256), name: { en: 'x' } }, 'external_id'],
      ['name as array', { external_id: 'arr', name: ['x'] }, 'name'],
      ['name with a number', { external_id: 'num', name: { en: 1 } }, 'name.en'],
      ['unknown language key', { external_id: 'lang', name: { english: 'x' } }, 'name'],
    ];
    for (const [what, body, property] of cases) {
      const res = await t.adminCall('POST', ATTR, body);
      const err = expectError(res, 422, 1102);
      expect(err.errorMessageExtended?.[0]?.property, what).toBe(property);
    }
    expect(await catalogVersion(t.projectId)).toBe(before);
    const list = (await t.adminCall('GET', `${ATTR}?limit=50`)).json();
    for (const id of ['no_name', 'arr', 'num', 'lang']) {
      expect(list.attributes.map((a: { external_id: string }) => a.external_id)).not.toContain(id);
    }
  });

  it('rejects a taken external id with 422/1102 and keeps the first attribute', async () => {
    const res = await create('genre', { en: 'Other' });
    const err = expectError(res, 422, 1102);
    expect(err.errorMessage).toContain('genre');
    expect((await getAttr('genre')).name).toEqual({ en: 'Genre', de: 'Genre (de)' });
  });

  it('answers 404/9901 for an unknown attribute', async () => {
    const err = expectError(await t.adminCall('GET', `${ATTR}/no-such-attribute`), 404, 9901);
    expect(err.errorMessage).toBe('[0401-9901]: Attribute not found.');
  });

  it("never shows or changes another project's attribute", async () => {
    const other = await createTenant(app);
    expectError(await other.adminCall('GET', `${ATTR}/genre`), 404, 9901);
    expectError(await other.adminCall('DELETE', `${ATTR}/genre`), 404, 9901);
    expectError(
      await other.adminCall('PUT', `${ATTR}/genre`, { external_id: 'genre', name: { en: 'Hijacked' } }),
      404,
      9901,
    );
    expect((await other.adminCall('GET', ATTR)).json()).toEqual({ total_count: 0, attributes: [] });
    // the other project may use the same external id for its own attribute
    expect(
      (await other.adminCall('POST', ATTR, { external_id: 'genre', name: { en: 'G' } })).statusCode,
    ).toBe(201);
    expect((await getAttr('genre')).name).toEqual({ en: 'Genre', de: 'Genre (de)' });
  });

  it('rejects a wrong key with 401', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}${ATTR}`,
      headers: { authorization: basic(t.projectId, 'wrong') },
    });
    expectError(res, 401, 1020);
  });
});

describe('list attributes', () => {
  it('pages in creation order with total_count of the whole project', async () => {
    const tenant = await createTenant(app);
    const ids = Array.from({ length: 7 }, (_, i) => `attr_${i}`);
    for (const id of ids)
      expect((await tenant.adminCall('POST', ATTR, { external_id: id, name: { en: id } })).statusCode).toBe(
        201,
      );
    await tenant.adminCall('POST', `${ATTR}/attr_1/value`, { external_id: 'v', value: { en: 'V' } });

    const all = (await tenant.adminCall('GET', ATTR)).json();
    expect(all.total_count).toBe(7);
    expect(all.attributes.map((a: { external_id: string }) => a.external_id)).toEqual(ids);
    expect(all.attributes[1]).toEqual({
      external_id: 'attr_1',
      name: { en: 'attr_1' },
      values: [{ external_id: 'v', value: { en: 'V' } }],
    });

    const page = (await tenant.adminCall('GET', `${ATTR}?limit=3&offset=2`)).json();
    expect(page.total_count).toBe(7);
    expect(page.attributes.map((a: { external_id: string }) => a.external_id)).toEqual([
      'attr_2',
      'attr_3',
      'attr_4',
    ]);
    const tail = (await tenant.adminCall('GET', `${ATTR}?limit=3&offset=6`)).json();
    expect(tail.attributes.map((a: { external_id: string }) => a.external_id)).toEqual(['attr_6']);
    const beyond = (await tenant.adminCall('GET', `${ATTR}?offset=100`)).json();
    expect(beyond).toEqual({ total_count: 7, attributes: [] });
  });

  it('serves at most 50 per page and rejects limit 0 / negative offset with 422/1102', async () => {
    const tenant = await createTenant(app);
    for (let i = 0; i < 51; i++) {
      const res = await tenant.adminCall('POST', ATTR, { external_id: `a${i}`, name: { en: `A${i}` } });
      expect(res.statusCode).toBe(201);
    }
    const page = (await tenant.adminCall('GET', `${ATTR}?limit=100`)).json();
    expect(page.total_count).toBe(51);
    expect(page.attributes).toHaveLength(50);
    expect((await tenant.adminCall('GET', `${ATTR}?limit=50&offset=50`)).json().attributes).toHaveLength(1);
    expectError(await tenant.adminCall('GET', `${ATTR}?limit=0`), 422, 1102);
    expectError(await tenant.adminCall('GET', `${ATTR}?offset=-1`), 422, 1102);
  });
});

describe('update attributes', () => {
  it('replaces the name (keys not sent are dropped) and keeps the values', async () => {
    await create('size', { en: 'Size', de: 'Größe', fr: 'Taille' });
    await addValue('size', 'small', { en: 'Small' });
    const res = await t.adminCall('PUT', `${ATTR}/size`, {
      external_id: 'size',
      name: { 'en-GB': 'Dimension' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(await getAttr('size')).toEqual({
      external_id: 'size',
      name: { en: 'Dimension' },
      values: [{ external_id: 'small', value: { en: 'Small' } }],
    });
  });

  it('ignores `values` in the body: values change only through the value operations', async () => {
    const res = await t.adminCall('PUT', `${ATTR}/size`, {
      external_id: 'size',
      name: { en: 'Size' },
      values: [{ external_id: 'huge', value: { en: 'Huge' } }],
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await getAttr('size')).values).toEqual([{ external_id: 'small', value: { en: 'Small' } }]);
  });

  it('renames through a different external_id in the body; the values follow', async () => {
    await create('colour', { en: 'Colour' });
    await addValue('colour', 'red');
    const res = await t.adminCall('PUT', `${ATTR}/colour`, { external_id: 'color', name: { en: 'Color' } });
    expect(res.statusCode, res.body).toBe(204);
    expectError(await t.adminCall('GET', `${ATTR}/colour`), 404, 9901);
    expect(await getAttr('color')).toEqual({
      external_id: 'color',
      name: { en: 'Color' },
      values: [{ external_id: 'red', value: { en: 'red' } }],
    });
  });

  it('rejects a rename onto a taken external id with 422/1102 and changes nothing', async () => {
    const before = await catalogVersion(t.projectId);
    const res = await t.adminCall('PUT', `${ATTR}/color`, { external_id: 'size', name: { en: 'Clash' } });
    expectError(res, 422, 1102);
    expect((await getAttr('color')).name).toEqual({ en: 'Color' });
    expect((await getAttr('size')).name).toEqual({ en: 'Size' });
    expect(await catalogVersion(t.projectId)).toBe(before);
  });

  it('answers 404/9901 for an unknown attribute and 422/1102 for an invalid body', async () => {
    expectError(
      await t.adminCall('PUT', `${ATTR}/no-such`, { external_id: 'no-such', name: { en: 'x' } }),
      404,
      9901,
    );
    expectError(await t.adminCall('PUT', `${ATTR}/size`, { name: { en: 'x' } }), 422, 1102);
    expectError(
      await t.adminCall('PUT', `${ATTR}/size`, { external_id: 'bad id', name: { en: 'x' } }),
      422,
      1102,
    );
  });
});

describe('attribute values', () => {
  it('creates values (201 {external_id}) in creation order, with two-letter keys', async () => {
    await create('weapon_class', { en: 'Weapon class' });
    const res = await addValue('weapon_class', 'Sword.Long-1_x', {
      'en-US': 'Long sword',
      'de-DE': 'Langschwert',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ external_id: 'Sword.Long-1_x' });
    expect((await addValue('weapon_class', 'axe', { en: 'Axe' })).statusCode).toBe(201);
    expect((await getAttr('weapon_class')).values).toEqual([
      { external_id: 'Sword.Long-1_x', value: { en: 'Long sword', de: 'Langschwert' } },
      { external_id: 'axe', value: { en: 'Axe' } },
    ]);
  });

  it('rejects a taken value external id with 422/9907', async () => {
    const err = expectError(await addValue('weapon_class', 'axe', { en: 'Another axe' }), 422, 9907);
    expect(err.errorMessage).toBe('[0401-9907]: The attribute value already exists.');
    expect((await getAttr('weapon_class')).values[1]).toEqual({ external_id: 'axe', value: { en: 'Axe' } });
  });

  it('answers 404/9901 when the attribute is unknown', async () => {
    expectError(await addValue('no-such', 'v'), 404, 9901);
  });

  it('rejects invalid value bodies with 422/1102', async () => {
    for (const body of [
      { value: { en: 'x' } },
      { external_id: 'v' },
      { external_id: 'a b', value: { en: 'x' } },
      { external_id: 'a/b', value: { en: 'x' } },
      { external_id: 'z'.repeat(256), value: { en: 'x' } },
      { external_id: 'v', value: ['x'] },
      { external_id: 'v', value: { klingon: 'x' } },
    ]) {
      expectError(await t.adminCall('POST', `${ATTR}/weapon_class/value`, body), 422, 1102);
    }
    expect((await getAttr('weapon_class')).values).toHaveLength(2);
    expect((await addValue('weapon_class', 'z'.repeat(255))).statusCode).toBe(201);
  });

  it('updates a value: text replaced, rename keeps its position', async () => {
    const res = await t.adminCall('PUT', `${ATTR}/weapon_class/value/Sword.Long-1_x`, {
      external_id: 'longsword',
      value: { en: 'Longsword' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const values = (await getAttr('weapon_class')).values;
    expect(values.slice(0, 2)).toEqual([
      { external_id: 'longsword', value: { en: 'Longsword' } },
      { external_id: 'axe', value: { en: 'Axe' } },
    ]);
    expect(
      (
        await t.adminCall('PUT', `${ATTR}/weapon_class/value/axe`, {
          external_id: 'axe',
          value: { en: 'Battle axe', de: 'Streitaxt' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await getAttr('weapon_class')).values[1]).toEqual({
      external_id: 'axe',
      value: { en: 'Battle axe', de: 'Streitaxt' },
    });
  });

  it('update: 9907 for a rename onto a taken value, 9906 for an unknown value, 9901 for an unknown attribute', async () => {
    const body = { external_id: 'axe', value: { en: 'x' } };
    expectError(await t.adminCall('PUT', `${ATTR}/weapon_class/value/longsword`, body), 422, 9907);
    const missing = expectError(
      await t.adminCall('PUT', `${ATTR}/weapon_class/value/no-such`, body),
      404,
      9906,
    );
    expect(missing.errorMessage).toBe('[0401-9906]: Attribute value not found.');
    expectError(await t.adminCall('PUT', `${ATTR}/no-such/value/axe`, body), 404, 9901);
    expectError(
      await t.adminCall('PUT', `${ATTR}/weapon_class/value/axe`, { external_id: 'axe' }),
      422,
      1102,
    );
    expect((await getAttr('weapon_class')).values[0].value).toEqual({ en: 'Longsword' });
  });

  it('a value id lives in its attribute: the same id may exist in another attribute', async () => {
    await create('material');
    expect((await addValue('material', 'axe')).statusCode).toBe(201);
    expectError(await t.adminCall('DELETE', `${ATTR}/material/value/longsword`), 404, 9906);
  });

  it('deletes one value (204); deleting it again is 404/9906', async () => {
    const res = await t.adminCall('DELETE', `${ATTR}/weapon_class/value/longsword`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await getAttr('weapon_class')).values.map((v: { external_id: string }) => v.external_id)).toEqual(
      ['axe', 'z'.repeat(255)],
    );
    expectError(await t.adminCall('DELETE', `${ATTR}/weapon_class/value/longsword`), 404, 9906);
    expectError(await t.adminCall('DELETE', `${ATTR}/no-such/value/axe`), 404, 9901);
  });

  it('deletes all values of an attribute (204); the attribute stays', async () => {
    const res = await t.adminCall('DELETE', `${ATTR}/weapon_class/value`);
    expect(res.statusCode, res.body).toBe(204);
    expect(await getAttr('weapon_class')).toEqual({
      external_id: 'weapon_class',
      name: { en: 'Weapon class' },
      values: [],
    });
    expect((await t.adminCall('DELETE', `${ATTR}/weapon_class/value`)).statusCode).toBe(204);
    expectError(await t.adminCall('DELETE', `${ATTR}/no-such/value`), 404, 9901);
    expect((await getAttr('material')).values).toHaveLength(1);
  });
});

describe('the 20-values limit of an attribute', () => {
  it('accepts the 20th value and rejects the 21st with 422/9908; a freed slot can be reused', async () => {
    await create('level');
    for (let i = 1; i <= 20; i++) expect((await addValue('level', `l${i}`)).statusCode).toBe(201);
    const before = await catalogVersion(t.projectId);
    const err = expectError(await addValue('level', 'l21'), 422, 9908);
    expect(err.errorMessage).toBe('[0401-9908]: You reached the maximum number of values for the attribute.');
    expect((await getAttr('level')).values).toHaveLength(20);
    expect(await catalogVersion(t.projectId)).toBe(before);

    // renaming a value does not count as adding one
    expect(
      (await t.adminCall('PUT', `${ATTR}/level/value/l20`, { external_id: 'l20b', value: { en: 'L20' } }))
        .statusCode,
    ).toBe(204);
    expect((await t.adminCall('DELETE', `${ATTR}/level/value/l1`)).statusCode).toBe(204);
    expect((await addValue('level', 'l21')).statusCode).toBe(201);
    expectError(await addValue('level', 'l22'), 422, 9908);
  });

  it('holds under concurrent creates: exactly 20 of 25 parallel values are accepted', async () => {
    await create('concurrent');
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => addValue('concurrent', `c${i}`)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(20);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectError(r, 422, 9908);
    expect((await getAttr('concurrent')).values).toHaveLength(20);
  });
});

describe('delete attributes', () => {
  it('deletes an attribute with its values (204); then 404/9901', async () => {
    const res = await t.adminCall('DELETE', `${ATTR}/material`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expectError(await t.adminCall('GET', `${ATTR}/material`), 404, 9901);
    expectError(await t.adminCall('DELETE', `${ATTR}/material`), 404, 9901);
    const leftovers = await app.services.database.db
      .selectFrom('attribute_values as v')
      .innerJoin('attributes as a', 'a.attribute_id', 'v.attribute_id')
      .select('v.external_id')
      .where('a.project_id', '=', t.projectId)
      .where('a.external_id', '=', 'material')
      .execute();
    expect(leftovers).toEqual([]);
    // the external id is free again
    expect((await create('material')).statusCode).toBe(201);
    expect((await getAttr('material')).values).toEqual([]);
  });
});
