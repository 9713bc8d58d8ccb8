/**
 * The contract validator itself: OpenAPI 3.0 → JSON Schema conversion, format checks, errata, error text, and
 * that every documented response of the covered operations compiles. A validator that accepts anything would make
 * the whole tier pass for nothing; these tests make sure it rejects what the spec forbids.
 */
import { describe, expect, it } from 'vitest';
import { operations } from '../../src/http/operations.js';
import { CONTRACT_GROUPS, docSlugsOf } from './contract.js';
import { errata } from './errata.js';
import {
  compileValidator,
  documentedStatuses,
  inlineRefs,
  responseContract,
  SKIP_NOTE,
  specAvailable,
  toJsonSchema,
  withDefs,
} from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

describe('OpenAPI 3.0 → JSON Schema conversion', () => {
  it('turns nullable into a null type, also on enums and composites', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, example: 'x' })).toEqual({
      type: ['string', 'null'],
    });
    expect(toJsonSchema({ type: 'string', enum: ['a'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(toJsonSchema({ nullable: true, allOf: [{ type: 'object' }] })).toEqual({
      anyOf: [{ type: 'null' }, { allOf: [{ type: 'object' }] }],
    });
  });

  it('converts boolean exclusiveMinimum, oneOf, and drops annotations but not properties named like them', () => {
    expect(toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(toJsonSchema({ type: 'number', minimum: 1, exclusiveMinimum: false })).toEqual({
      type: 'number',
      minimum: 1,
    });
    expect(
      toJsonSchema({ oneOf: [{ type: 'string' }], 'x-enumDescriptions': {}, discriminator: {} }),
    ).toEqual({ anyOf: [{ type: 'string' }] });
    expect(
      toJsonSchema({
        type: 'object',
        properties: { description: { type: 'string', description: 'd' }, example: { type: 'integer' } },
      }),
    ).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, example: { type: 'integer' } },
    });
  });
});

describe.skipIf(!specAvailable)('validators of the official spec', () => {
  const slugs = specAvailable ? docSlugsOf(CONTRACT_GROUPS) : [];

  it('covers every operation of its groups, all served by the operations table', () => {
    expect(slugs.length).toBeGreaterThan(0);
    expect(new Set(slugs).size).toBe(slugs.length);
    const served = new Set(operations.map((o) => o.docSlug));
    expect(slugs.filter((s) => !served.has(s))).toEqual([]);
  });

  it('compiles every documented response of those operations (stale errata would throw here)', () => {
    for (const slug of slugs) {
      const statuses = documentedStatuses(slug);
      expect(statuses.length, slug).toBeGreaterThan(0);
      for (const status of statuses)
        expect(() => responseContract(slug, status), `${slug} ${status}`).not.toThrow();
    }
  });

  it('applies each erratum only to operations of the tier', () => {
    for (const e of errata) {
      expect(
        e.operations.filter((op) => !slugs.includes(op)),
        e.id,
      ).toEqual([]);
      expect(e.evidence.length, e.id).toBeGreaterThan(40);
    }
  });

  it('knows which statuses the spec documents', () => {
    expect(responseContract('admin-get-virtual-currency', 404).documented).toBe(true);
    expect(responseContract('admin-get-virtual-item', 404).documented).toBe(false);
    expect(responseContract('admin-update-virtual-item', 204)).toMatchObject({
      documented: true,
      hasSchema: false,
    });
  });

  it('rejects a wrong page shape and reports where, what and the value', () => {
    const errors = responseContract('get-virtual-items', 200).validate({
      has_more: 'no',
      items: [{ item_id: 'x', sku: 1 }],
    });
    expect(errors.some((e) => e.startsWith('/has_more must be boolean') && e.includes('value: "no"'))).toBe(
      true,
    );
    expect(errors.some((e) => e.startsWith('/items/0/sku must be string'))).toBe(true);
  });

  it('checks date-time formats', () => {
    const v = responseContract('get-virtual-items-sku', 200);
    expect(
      v.validate({ sku: 'a', periods: [{ date_from: '2020-08-11T10:00:00+03:00', date_until: null }] }),
    ).toEqual([]);
    const errors = v.validate({ sku: 'a', periods: [{ date_from: 'yesterday', date_until: null }] });
    expect(errors.join('\n')).toMatch(/\/periods\/0\/date_from must match format "date-time"/);
  });

  it('accepts one form of an admin localization object and rejects a non-object', () => {
    const v = responseContract('admin-get-virtual-item', 200);
    expect(v.validate({ sku: 'a', name: { en: 'Sword', de: 'Schwert' }, description: null })).toEqual([]);
    expect(v.validate({ sku: 'a', name: 'Sword' })).not.toEqual([]);
  });

  it('keeps the spec strict where no erratum applies (admin price amount > 0, enum values)', () => {
    const v = responseContract('admin-get-virtual-item', 200);
    expect(v.validate({ prices: [{ amount: 0, currency: 'USD' }] }).join('\n')).toMatch(/amount must be > 0/);
    expect(v.validate({ media_list: [{ type: 'gif', url: 'u' }] }).join('\n')).toMatch(
      /media_list\/0\/type must be equal to one of the allowed values/,
    );
  });

  it('applies errata: catalog names are strings, prices and images may be null', () => {
    const v = responseContract('get-sellable-items', 200);
    expect(v.errata).toEqual(
      expect.arrayContaining([
        'catalog-localized-strings',
        'catalog-price-nullable',
        'catalog-image-description-nullable',
      ]),
    );
    const item = {
      sku: 'a',
      name: 'Gold',
      description: null,
      image_url: null,
      price: null,
      attributes: [{ external_id: 'x', name: 'X', values: [{ external_id: 'v', value: 'V' }] }],
    };
    expect(v.validate({ has_more: false, items: [item] })).toEqual([]);
    expect(v.validate({ has_more: false, items: [{ ...item, name: { en: 'Gold' } }] }).join('\n')).toMatch(
      /\/items\/0\/name must be string/,
    );
    expect(v.validate({ has_more: false, items: [{ ...item, price: { amount: 1 } }] }).join('\n')).toMatch(
      /\/items\/0\/price\/amount must be string/,
    );
  });
});

describe('$ref resolution', () => {
  const doc = {
    components: {
      schemas: {
        Node: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { $ref: '#/components/schemas/Name' },
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
          },
        },
        Name: { type: 'string', nullable: true, example: 'x' },
      },
    },
  };

  it('inlines plain refs and turns a recursive ref into $defs that validate nested levels', () => {
    const { value, defs } = inlineRefs(doc, { $ref: '#/components/schemas/Node' });
    expect(Object.keys(defs)).toEqual(['components_schemas_Node']);
    const validate = compileValidator(withDefs(toJsonSchema(value) as Record<string, unknown>, defs));
    expect(validate({ name: 'a', children: [{ name: null, children: [{ name: 'c' }] }] })).toEqual([]);
    expect(validate({ name: 'a', children: [{ name: 'b', children: [{ name: 5 }] }] }).join('\n')).toMatch(
      /^\/children\/0\/children\/0\/name must be string,null/,
    );
    expect(validate({ name: 'a', children: [{ children: [] }] }).join('\n')).toMatch(
      /required property 'name'/,
    );
  });
});
