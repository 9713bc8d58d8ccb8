/**
 * Localization and extra fields (seed-details §2.1, §2.16, §8 rules 1, 2, 13): `en-US`/`de-DE` keys are stored
 * and returned two-letter; of `en` and `en-US` the last one sent wins; `locale` picks the catalog string with
 * a fallback to English; `additional_fields[]` adds media_list, long_description, order, custom_attributes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

const twoLetterKeys = (o: Record<string, unknown> | null) =>
  Object.keys(o ?? {}).every((k) => /^[a-z]{2}$/.test(k));

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  const bodies = [
    {
      sku: 'shield',
      name: { 'en-US': 'Shield', 'de-DE': 'Schild', 'ru-RU': 'Щит' },
      description: { 'en-US': 'Blocks arrows', 'de-DE': 'Blockt Pfeile' },
      long_description: { en: 'A very sturdy shield.', 'de-DE': 'Ein sehr robuster Schild.' },
      media_list: [
        { type: 'image', url: 'https://cdn.example.com/shield-1.png' },
        { type: 'video', url: 'https://cdn.example.com/shield.mp4' },
      ],
      custom_attributes: { rarity: 'epic', power: 12, tags: ['defence'] },
      order: 7,
      prices: [{ amount: 3, currency: 'USD', is_default: true }],
    },
    {
      sku: 'en_then_en_us',
      name: { en: 'first', 'en-US': 'last' },
      description: { 'de-DE': 'erst', de: 'zuletzt' },
    },
    { sku: 'en_us_then_en', name: { 'en-US': 'first', en: 'last' } },
    { sku: 'german_only', name: { de: 'Nur Deutsch' } },
  ];
  for (const b of bodies) {
    const res = await t.adminCall('POST', '/admin/items/virtual_items', b);
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => app.close());

describe('localization objects in admin responses', () => {
  it('returns five-letter input keys as two-letter keys', async () => {
    const res = await t.adminCall('GET', '/admin/items/virtual_items/sku/shield');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.name).toEqual({ en: 'Shield', de: 'Schild', ru: 'Щит' });
    expect(body.description).toEqual({ en: 'Blocks arrows', de: 'Blockt Pfeile' });
    expect(body.long_description).toEqual({ en: 'A very sturdy shield.', de: 'Ein sehr robuster Schild.' });
  });

  it('keeps the last of `en` and `en-US`, whichever order they come in', async () => {
    const a = (await t.adminCall('GET', '/admin/items/virtual_items/sku/en_then_en_us')).json();
    expect(a.name).toEqual({ en: 'last' });
    expect(a.description).toEqual({ de: 'zuletzt' });
    const b = (await t.adminCall('GET', '/admin/items/virtual_items/sku/en_us_then_en')).json();
    expect(b.name).toEqual({ en: 'last' });
  });

  it('never returns a five-letter key in admin lists', async () => {
    const res = await t.adminCall('GET', '/admin/items/virtual_items');
    expect(res.statusCode).toBe(200);
    for (const i of res.json().items) {
      for (const field of ['name', 'description', 'long_description'])
        expect(twoLetterKeys(i[field]), `${i.sku}.${field}`).toBe(true);
    }
  });

  it('applies the same rule on update', async () => {
    const res = await t.adminCall('PUT', '/admin/items/virtual_items/sku/en_us_then_en', {
      sku: 'en_us_then_en',
      name: { 'fr-FR': 'Bouclier', en: 'one', 'en-GB': 'two' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/en_us_then_en')).json().name).toEqual({
      fr: 'Bouclier',
      en: 'two',
    });
    expect(
      (await catalogGet(app, t.projectId, '/items/virtual_items/sku/en_us_then_en?locale=fr')).json().name,
    ).toBe('Bouclier');
  });
});

describe('locale query parameter', () => {
  const shield = (query: string) => catalogGet(app, t.projectId, `/items/virtual_items/sku/shield${query}`);

  it('defaults to English', async () => {
    const body = (await shield('')).json();
    expect(body.name).toBe('Shield');
    expect(body.description).toBe('Blocks arrows');
  });

  it.each([['?locale=de'], ['?locale=de-DE'], ['?locale=DE']])('%s picks German', async (q) => {
    const body = (await shield(q)).json();
    expect(body.name).toBe('Schild');
    expect(body.description).toBe('Blockt Pfeile');
  });

  it('falls back to English for a language the item lacks, or an unknown locale', async () => {
    for (const q of ['?locale=fr', '?locale=xx', '?locale=ja-JP']) {
      const res = await shield(q);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().name, q).toBe('Shield');
    }
  });

  it('applies to lists, by-id reads and get-all-virtual-items alike', async () => {
    const list = (await catalogGet(app, t.projectId, '/items/virtual_items?locale=ru')).json();
    expect(list.items.find((i: { sku: string }) => i.sku === 'shield').name).toBe('Щит');
    const id = (await t.adminCall('GET', '/admin/items/virtual_items/sku/shield')).json().item_id;
    expect((await catalogGet(app, t.projectId, `/items/id/${id}?locale=de`)).json().name).toBe('Schild');
    const all = (await catalogGet(app, t.projectId, '/items/virtual_items/all?locale=de')).json();
    expect(all.items.find((i: { sku: string }) => i.sku === 'shield')).toMatchObject({
      name: 'Schild',
      description: 'Blockt Pfeile',
    });
  });

  it('returns plain strings, never localization objects, in the catalog', async () => {
    const list = (await catalogGet(app, t.projectId, '/items/virtual_items?locale=de')).json();
    for (const i of list.items) {
      expect(typeof i.name, i.sku).toBe('string');
      expect(i.description === null || typeof i.description === 'string', i.sku).toBe(true);
    }
    const german = list.items.find((i: { sku: string }) => i.sku === 'german_only');
    expect(german.name).toBe('Nur Deutsch');
    const english = (await catalogGet(app, t.projectId, '/items/virtual_items/sku/german_only')).json();
    expect(typeof english.name).toBe('string');
  });
});

describe('additional_fields[]', () => {
  const EXTRA = ['media_list', 'long_description', 'order', 'custom_attributes'];

  it('adds none of the extra fields unless asked', async () => {
    const one = (await catalogGet(app, t.projectId, '/items/virtual_items/sku/shield')).json();
    const list = (await catalogGet(app, t.projectId, '/items/virtual_items')).json();
    for (const f of EXTRA) {
      expect(one, f).not.toHaveProperty(f);
      for (const i of list.items) expect(i, `${i.sku}.${f}`).not.toHaveProperty(f);
    }
  });

  it('adds the requested fields, localized where they are text', async () => {
    const q =
      '?additional_fields[]=media_list&additional_fields[]=long_description&additional_fields[]=order&additional_fields[]=custom_attributes&locale=de';
    const one = (await catalogGet(app, t.projectId, `/items/virtual_items/sku/shield${q}`)).json();
    expect(one.media_list).toEqual([
      { type: 'image', url: 'https://cdn.example.com/shield-1.png' },
      { type: 'video', url: 'https://cdn.example.com/shield.mp4' },
    ]);
    expect(one.long_description).toBe('Ein sehr robuster Schild.');
    expect(one.order).toBe(7);
    expect(one.custom_attributes).toEqual({ rarity: 'epic', power: 12, tags: ['defence'] });
    const list = (await catalogGet(app, t.projectId, `/items${q}`)).json();
    expect(list.items.find((i: { sku: string }) => i.sku === 'shield')).toMatchObject({
      order: 7,
      long_description: 'Ein sehr robuster Schild.',
    });
  });

  it('adds only what was asked (one field, URL-encoded brackets)', async () => {
    const one = (
      await catalogGet(app, t.projectId, '/items/virtual_items/sku/shield?additional_fields%5B%5D=media_list')
    ).json();
    expect(one.media_list).toHaveLength(2);
    for (const f of ['long_description', 'order', 'custom_attributes']) expect(one, f).not.toHaveProperty(f);
  });

  it('gives items without the data empty values rather than omitting the field', async () => {
    const q =
      '?additional_fields[]=media_list&additional_fields[]=custom_attributes&additional_fields[]=long_description';
    const body = (await catalogGet(app, t.projectId, `/items/virtual_items/sku/german_only${q}`)).json();
    expect(body.media_list).toEqual([]);
    expect(body.custom_attributes).toEqual({});
    expect(body).toHaveProperty('long_description', null);
  });

  it('rejects an unknown additional field with the 422 envelope', async () => {
    const res = await catalogGet(app, t.projectId, '/items/virtual_items?additional_fields[]=secret_field');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
    expect(res.json().transactionId).toMatch(/^[0-9a-f]{32}$/);
  });
});
