/**
 * Attribute rules (endpoints.tsv group `attribute-admin`, seed-details §2.2, docs/decisions/0005-attributes.md):
 * project attributes with localized names and their values with localized texts, managed through the admin API
 * or implicitly by item bodies (`attributes[]` of an item create/update). Both paths obey the same rules, which
 * live here only:
 * - at most 20 values per attribute (spec, create-attribute-value: "default and maximum value is 20") →
 *   422/9908 "You reached the maximum number of values for the attribute.";
 * - on one item, at most 20 attributes (422/9908) and 6 values per attribute (422/9909) (seed-details §2.2.1,
 *   §10.1 #11);
 * - localization keys `en` or `en-US` in, two-letter keys stored and returned (lib/locale.ts);
 * - every change runs through CatalogWriter (one transaction, catalog_version bump, snapshot invalidation), so
 *   the next catalog read shows renamed attributes and values, and items lose deleted ones.
 * Value counts are exact under concurrency: every change of an attribute's values first locks the attribute row.
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { Kysely } from 'kysely';
import type { CatalogWriter } from '../catalog/writer.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError, invalid } from '../../errors/app-error.js';
import { toAppError } from '../../errors/postgres.js';
import { normalizeLocalized, type Localized } from '../../lib/locale.js';
import { attributesRepository as repo, type AttributeRow, type ValueRow } from './repository.js';

/** Values one attribute may hold (create-attribute-value: "default and maximum value is 20 values per attribute"). */
export const MAX_VALUES_PER_ATTRIBUTE = 20;
/** Attributes one item body may carry (seed-details §2.2.1). */
export const MAX_ATTRIBUTES_PER_ITEM = 20;
/** Values of one attribute one item body may carry (seed-details §2.2.1, §10.1 #11). */
export const MAX_VALUES_PER_ATTRIBUTE_ON_ITEM = 6;

/** An attribute as admin calls show it: two-letter localization keys, values in position order. */
export interface AdminAttributeView {
  external_id: string;
  name: Localized;
  values: { external_id: string; value: Localized }[];
}

/** An item body's `attributes[]` entry (validated by modules/items/schemas.ts AttributeInput). */
export interface ItemAttributeInput {
  external_id: string;
  name?: Record<string, string | null> | null;
  values: { external_id: string; value: Record<string, string | null> | null }[];
}

/** A localization object with two-letter keys ({} when empty). @throws 422/1102 naming keys that are no language. */
function localized(property: string, input: Record<string, string | null> | null | undefined): Localized {
  const { value, badKeys } = normalizeLocalized(input ?? null);
  if (badKeys.length) throw invalid(property, `Unknown language key(s): ${badKeys.join(', ')}`);
  return value ?? {};
}

const attributeExists = (externalId: string) =>
  invalid('external_id', `Attribute with external_id = '${externalId}' already exists`);

/**
 * The one check of the per-attribute value limit, run after values were added inside the transaction that
 * holds the attribute's row lock. @throws 422/9908 when the attribute now holds more than 20 values.
 */
export async function assertValueLimit(ex: Executor, attributeId: number): Promise<void> {
  if ((await repo.countValues(ex, attributeId)) > MAX_VALUES_PER_ATTRIBUTE) {
    throw new AppError('ATTRIBUTE_VALUES_PER_ATTRIBUTE_LIMIT');
  }
}

/**
 * Resolves an item body's `attributes[]` inside the item's write transaction: creates missing attributes and
 * values, lets the body's name and value texts replace the stored ones (an empty or absent name keeps the stored
 * one), and returns the value ids to link, in body order. An attribute named twice counts once, with the union
 * of its values. Attributes are locked in external-id order, so concurrent item writes cannot deadlock.
 * @throws 422/9908 more than 20 attributes on the item, or an attribute would exceed 20 values;
 *         422/9909 more than 6 values of one attribute on the item; 422/1102 bad localization keys.
 */
export async function resolveItemAttributes(
  ex: Executor,
  projectId: number,
  attributes: readonly ItemAttributeInput[],
): Promise<number[]> {
  const merged = new Map<string, { name: Localized | null; values: Map<string, Localized> }>();
  for (const [i, a] of attributes.entries()) {
    const m = merged.get(a.external_id) ?? { name: null, values: new Map<string, Localized>() };
    const name = localized(`attributes[${i}].name`, a.name);
    if (Object.keys(name).length) m.name = name;
    for (const [j, v] of a.values.entries())
      m.values.set(v.external_id, localized(`attributes[${i}].values[${j}].value`, v.value));
    merged.set(a.external_id, m);
  }
  if (merged.size > MAX_ATTRIBUTES_PER_ITEM) throw new AppError('ATTRIBUTES_LIMIT');
  for (const m of merged.values())
    if (m.values.size > MAX_VALUES_PER_ATTRIBUTE_ON_ITEM) throw new AppError('ATTRIBUTE_VALUES_LIMIT');

  const key = (attribute: string, value: string) => JSON.stringify([attribute, value]);
  const valueIds = new Map<string, number>();
  for (const externalId of [...merged.keys()].sort()) {
    const m = merged.get(externalId)!;
    const attributeId = await repo.upsertAttribute(ex, projectId, externalId, m.name);
    for (const [valueExternalId, text] of m.values)
      valueIds.set(
        key(externalId, valueExternalId),
        await repo.upsertValue(ex, attributeId, valueExternalId, text),
      );
    await assertValueLimit(ex, attributeId);
  }
  const ordered = attributes.flatMap((a) =>
    a.values.map((v) => valueIds.get(key(a.external_id, v.external_id))!),
  );
  return [...new Set(ordered)];
}

function view(a: AttributeRow, values: ValueRow[]): AdminAttributeView {
  return {
    external_id: a.external_id,
    name: a.name ?? {},
    values: values.map((v) => ({ external_id: v.external_id, value: v.value ?? {} })),
  };
}

export class AttributesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: CatalogWriter,
  ) {}

  /** A page of the project's attributes (creation order) with their values, and the total count. */
  async list(
    projectId: number,
    page: { limit: number; offset: number },
  ): Promise<{ total_count: number; attributes: AdminAttributeView[] }> {
    const [total, rows] = await Promise.all([
      repo.countAttributes(this.db, projectId),
      repo.listAttributes(this.db, projectId, page),
    ]);
    const values = await repo.valuesOf(
      this.db,
      rows.map((r) => r.attribute_id),
    );
    return {
      total_count: total,
      attributes: rows.map((r) =>
        view(
          r,
          values.filter((v) => v.attribute_id === r.attribute_id),
        ),
      ),
    };
  }

  /** The attribute `externalId` with its values. @throws 404/9901 */
  async get(projectId: number, externalId: string): Promise<AdminAttributeView> {
    const a = await repo.findAttribute(this.db, projectId, externalId);
    if (!a) throw new AppError('ATTRIBUTE_NOT_FOUND');
    return view(a, await repo.valuesOf(this.db, [a.attribute_id]));
  }

  /** Creates an attribute without values. @throws 422/1102 when the external id is taken or a key is no language. */
  async create(
    projectId: number,
    body: { external_id: string; name: Record<string, string> },
    write: WriteOptions = {},
  ): Promise<void> {
    const name = localized('name', body.name);
    await this.write(projectId, body.external_id, write, async (trx) => {
      if (await repo.findAttribute(trx, projectId, body.external_id)) throw attributeExists(body.external_id);
      await repo.insertAttribute(trx, projectId, body.external_id, name);
    });
  }

  /**
   * Replaces the attribute's name; a different `external_id` in the body renames it. Values are not part of
   * the body and stay as they are.
   * @throws 404/9901 unknown attribute; 422/1102 new external id taken, bad localization key
   */
  async update(
    projectId: number,
    externalId: string,
    body: { external_id: string; name: Record<string, string> },
    write: WriteOptions = {},
  ): Promise<void> {
    const name = localized('name', body.name);
    await this.write(projectId, body.external_id, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      if (body.external_id !== externalId && (await repo.findAttribute(trx, projectId, body.external_id)))
        throw attributeExists(body.external_id);
      await repo.updateAttribute(trx, a.attribute_id, body.external_id, name);
    });
  }

  /** Deletes the attribute, its values and every item link to them. @throws 404/9901 */
  async remove(projectId: number, externalId: string, write: WriteOptions = {}): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      await repo.deleteAttribute(trx, a.attribute_id);
    });
  }

  /**
   * Adds a value to the attribute.
   * @throws 404/9901 unknown attribute; 422/9907 value external id taken; 422/9908 the attribute already has
   *         20 values; 422/1102 bad localization key
   */
  async createValue(
    projectId: number,
    externalId: string,
    body: { external_id: string; value: Record<string, string> },
    write: WriteOptions = {},
  ): Promise<void> {
    const text = localized('value', body.value);
    await this.writeValue(projectId, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      if (await repo.findValue(trx, a.attribute_id, body.external_id))
        throw new AppError('ATTRIBUTE_VALUE_EXISTS');
      await repo.insertValue(trx, a.attribute_id, body.external_id, text);
      await assertValueLimit(trx, a.attribute_id);
    });
  }

  /**
   * Replaces a value's text; a different `external_id` in the body renames it. Items keep their link to it.
   * @throws 404/9901 unknown attribute; 404/9906 unknown value; 422/9907 new external id taken; 422/1102
   */
  async updateValue(
    projectId: number,
    externalId: string,
    valueExternalId: string,
    body: { external_id: string; value: Record<string, string> },
    write: WriteOptions = {},
  ): Promise<void> {
    const text = localized('value', body.value);
    await this.writeValue(projectId, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      const v = await this.mustFindValue(trx, a.attribute_id, valueExternalId);
      if (
        body.external_id !== valueExternalId &&
        (await repo.findValue(trx, a.attribute_id, body.external_id))
      )
        throw new AppError('ATTRIBUTE_VALUE_EXISTS');
      await repo.updateValue(trx, v.value_id, body.external_id, text);
    });
  }

  /** Deletes one value and its item links. @throws 404/9901 unknown attribute; 404/9906 unknown value */
  async removeValue(
    projectId: number,
    externalId: string,
    valueExternalId: string,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      const v = await this.mustFindValue(trx, a.attribute_id, valueExternalId);
      await repo.deleteValue(trx, v.value_id);
    });
  }

  /** Deletes every value of the attribute and their item links; the attribute stays. @throws 404/9901 */
  async removeAllValues(projectId: number, externalId: string, write: WriteOptions = {}): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      const a = await this.mustFind(trx, projectId, externalId);
      await repo.deleteAllValues(trx, a.attribute_id);
    });
  }

  /** The attribute, its row locked for the rest of the transaction. @throws 404/9901 */
  private async mustFind(trx: Executor, projectId: number, externalId: string): Promise<AttributeRow> {
    const a = await repo.findAttribute(trx, projectId, externalId, true);
    if (!a) throw new AppError('ATTRIBUTE_NOT_FOUND');
    return a;
  }

  private async mustFindValue(trx: Executor, attributeId: number, externalId: string): Promise<ValueRow> {
    const v = await repo.findValue(trx, attributeId, externalId);
    if (!v) throw new AppError('ATTRIBUTE_VALUE_NOT_FOUND');
    return v;
  }

  /** A catalog write where a unique violation means the attribute external id is taken (422/1102). */
  private async write(
    projectId: number,
    externalId: string,
    write: WriteOptions,
    fn: (trx: Executor) => Promise<void>,
  ) {
    try {
      await this.writer.run(projectId, write, fn);
    } catch (e) {
      throw toAppError(e, { uniqueViolation: () => attributeExists(externalId) });
    }
  }

  /** A catalog write where a unique violation means the value external id is taken (422/9907). */
  private async writeValue(projectId: number, write: WriteOptions, fn: (trx: Executor) => Promise<void>) {
    try {
      await this.writer.run(projectId, write, fn);
    } catch (e) {
      throw toAppError(e, { uniqueViolation: () => new AppError('ATTRIBUTE_VALUE_EXISTS') });
    }
  }
}
