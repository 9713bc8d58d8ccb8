/**
 * SQL of the project attributes (`attributes`) and their values (`attribute_values`); item links
 * (`item_attribute_values`) go away with a value or an attribute through the foreign-key cascades of
 * migration 0001. Every method takes the executor first; nothing here knows HTTP or the rules.
 */
import { sql, type Selectable } from 'kysely';
import type { AttributesTable, AttributeValuesTable, Executor } from '../../db/types.js';
import type { Localized } from '../../lib/locale.js';

/** An attribute as the services read it. */
export type AttributeRow = Pick<Selectable<AttributesTable>, 'attribute_id' | 'external_id' | 'name'>;

/** A value of an attribute as the services read it. */
export type ValueRow = Pick<
  Selectable<AttributeValuesTable>,
  'value_id' | 'attribute_id' | 'external_id' | 'value'
>;

/** Position of a value appended to `attributeId` (after every existing one). */
const nextPosition = (attributeId: number) =>
  sql<number>`(SELECT coalesce(max(position), -1) + 1 FROM attribute_values WHERE attribute_id = ${attributeId})`;

export const attributesRepository = {
  /**
   * The attribute `externalId` of the project, or undefined. With `lock`, its row is locked until the end of
   * the transaction: every change of an attribute's values takes this lock first, so value counts are exact.
   */
  findAttribute(
    ex: Executor,
    projectId: number,
    externalId: string,
    lock = false,
  ): Promise<AttributeRow | undefined> {
    let q = ex
      .selectFrom('attributes')
      .select(['attribute_id', 'external_id', 'name'])
      .where('project_id', '=', projectId)
      .where('external_id', '=', externalId);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  /** Inserts an attribute; returns its id. A taken external id raises the unique violation (23505). */
  async insertAttribute(ex: Executor, projectId: number, externalId: string, name: Localized) {
    const row = await ex
      .insertInto('attributes')
      .values({ project_id: projectId, external_id: externalId, name: JSON.stringify(name) })
      .returning('attribute_id')
      .executeTakeFirstOrThrow();
    return row.attribute_id;
  },

  /**
   * Creates the attribute or returns the existing one, locking its row either way; `name` (when given) replaces
   * the stored name. Returns the attribute id.
   */
  async upsertAttribute(ex: Executor, projectId: number, externalId: string, name: Localized | null) {
    const row = await ex
      .insertInto('attributes')
      .values({ project_id: projectId, external_id: externalId, name: JSON.stringify(name ?? {}) })
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'external_id'])
          .doUpdateSet(name ? { name: JSON.stringify(name) } : { external_id: externalId }),
      )
      .returning('attribute_id')
      .executeTakeFirstOrThrow();
    return row.attribute_id;
  },

  /** Sets the external id and name of an attribute. A taken external id raises 23505. */
  async updateAttribute(ex: Executor, attributeId: number, externalId: string, name: Localized) {
    await ex
      .updateTable('attributes')
      .set({ external_id: externalId, name: JSON.stringify(name) })
      .where('attribute_id', '=', attributeId)
      .execute();
  },

  /** Deletes an attribute with its values and their item links (cascade). */
  async deleteAttribute(ex: Executor, attributeId: number) {
    await ex.deleteFrom('attributes').where('attribute_id', '=', attributeId).execute();
  },

  async countAttributes(ex: Executor, projectId: number): Promise<number> {
    const row = await ex
      .selectFrom('attributes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** A page of the project's attributes in creation order. */
  listAttributes(
    ex: Executor,
    projectId: number,
    page: { limit: number; offset: number },
  ): Promise<AttributeRow[]> {
    return ex
      .selectFrom('attributes')
      .select(['attribute_id', 'external_id', 'name'])
      .where('project_id', '=', projectId)
      .orderBy('attribute_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
  },

  /** The values of `attributeIds`, each attribute's in position order. */
  async valuesOf(ex: Executor, attributeIds: number[]): Promise<ValueRow[]> {
    if (attributeIds.length === 0) return [];
    return ex
      .selectFrom('attribute_values')
      .select(['value_id', 'attribute_id', 'external_id', 'value'])
      .where('attribute_id', '=', sql<number>`any(${attributeIds})`)
      .orderBy('attribute_id')
      .orderBy('position')
      .orderBy('value_id')
      .execute();
  },

  findValue(ex: Executor, attributeId: number, externalId: string): Promise<ValueRow | undefined> {
    return ex
      .selectFrom('attribute_values')
      .select(['value_id', 'attribute_id', 'external_id', 'value'])
      .where('attribute_id', '=', attributeId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
  },

  async countValues(ex: Executor, attributeId: number): Promise<number> {
    const row = await ex
      .selectFrom('attribute_values')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('attribute_id', '=', attributeId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Appends a value to the attribute; returns its id. A taken external id raises 23505. */
  async insertValue(ex: Executor, attributeId: number, externalId: string, value: Localized) {
    const row = await ex
      .insertInto('attribute_values')
      .values({
        attribute_id: attributeId,
        external_id: externalId,
        value: JSON.stringify(value),
        position: nextPosition(attributeId),
      })
      .returning('value_id')
      .executeTakeFirstOrThrow();
    return row.value_id;
  },

  /** Appends the value, or replaces the text of the existing one with that external id; returns its id. */
  async upsertValue(ex: Executor, attributeId: number, externalId: string, value: Localized) {
    const row = await ex
      .insertInto('attribute_values')
      .values({
        attribute_id: attributeId,
        external_id: externalId,
        value: JSON.stringify(value),
        position: nextPosition(attributeId),
      })
      .onConflict((oc) =>
        oc.columns(['attribute_id', 'external_id']).doUpdateSet({ value: JSON.stringify(value) }),
      )
      .returning('value_id')
      .executeTakeFirstOrThrow();
    return row.value_id;
  },

  /** Sets the external id and text of a value (its position and item links stay). A taken id raises 23505. */
  async updateValue(ex: Executor, valueId: number, externalId: string, value: Localized) {
    await ex
      .updateTable('attribute_values')
      .set({ external_id: externalId, value: JSON.stringify(value) })
      .where('value_id', '=', valueId)
      .execute();
  },

  /** Deletes one value and its item links (cascade). */
  async deleteValue(ex: Executor, valueId: number) {
    await ex.deleteFrom('attribute_values').where('value_id', '=', valueId).execute();
  },

  /** Deletes every value of the attribute and their item links (cascade); returns how many. */
  async deleteAllValues(ex: Executor, attributeId: number): Promise<number> {
    const res = await ex
      .deleteFrom('attribute_values')
      .where('attribute_id', '=', attributeId)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  },
};
