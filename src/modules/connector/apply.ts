/**
 * Applying one entry of an import file through the admin services of its area — ItemsService (virtual items,
 * currencies, packages), BundlesService, GamesService, GroupsService, RegionsService, and the attribute rule shared
 * with item bodies (resolveItemAttributes) — so an imported item obeys exactly the rules of the admin API. Each
 * entry is one catalog write (one transaction): a broken entry is reported and changes nothing.
 *
 * Each entry is first validated against the request schema of its admin create call (the same validator the
 * routes use, defaults included); a failure is reported as that call would answer it (422/1102).
 */
import type { CatalogWriter } from '../catalog/writer.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import { describeValidationError } from '../../errors/handler.js';
import { requestValidatorCompiler } from '../../http/validation.js';
import { resolveItemAttributes, type AttributesService } from '../attributes/service.js';
import { BundleBody } from '../bundles/schemas.js';
import type { BundleInput, BundlesService } from '../bundles/service.js';
import { GameBody } from '../games/schemas.js';
import type { GameInput, GamesService } from '../games/service.js';
import type { GroupBodyInput } from '../groups/schemas.js';
import type { GroupsService } from '../groups/service.js';
import type { ItemBody } from '../items/schemas.js';
import {
  VIRTUAL_CURRENCY,
  VIRTUAL_CURRENCY_PACKAGE,
  VIRTUAL_GOOD,
  type ItemKind,
  type ItemsService,
} from '../items/service.js';
import type { RegionsService } from '../regions/service.js';
import {
  VirtualCurrencyBody,
  VirtualCurrencyPackageBody,
  VirtualItemBody,
} from '../virtual-items/schemas.js';
import type { EntryKind, ImportEntry } from './format.js';
import type { EntryError, ImportMode } from './repository.js';
import { AttributeEntry, GroupEntry, RegionEntry } from './schemas.js';

/** The services an import writes through (a subset of the app's Services). */
export interface ImportDeps {
  items: ItemsService;
  bundles: BundlesService;
  games: GamesService;
  groups: GroupsService;
  attributes: AttributesService;
  regions: RegionsService;
  catalogWriter: CatalogWriter;
}

/** `type` of a per-entry error (spec enum for the four item kinds; Itemshop extensions for the others). */
export const ERROR_TYPE: Record<EntryKind, string> = {
  virtual_good: 'virtual_good',
  virtual_currency: 'virtual_currency',
  virtual_currency_package: 'virtual_currency_packages',
  bundle: 'bundle',
  game: 'game',
  group: 'group',
  attribute: 'attribute',
  region: 'region',
};

/** `type` values an item entry may carry in each section (the admin views' `type`, and a few spellings). */
const ENTRY_TYPES: Partial<Record<EntryKind, string[]>> = {
  virtual_good: ['virtual_good', 'virtual_item', 'virtual_items'],
  virtual_currency: ['virtual_currency'],
  virtual_currency_package: ['bundle', 'virtual_currency_package'],
  bundle: ['bundle'],
  game: ['unit', 'game'],
};

const ITEM_KIND: Partial<Record<EntryKind, ItemKind>> = {
  virtual_good: VIRTUAL_GOOD,
  virtual_currency: VIRTUAL_CURRENCY,
  virtual_currency_package: VIRTUAL_CURRENCY_PACKAGE,
};

const SCHEMA: Record<EntryKind, object> = {
  virtual_good: VirtualItemBody,
  virtual_currency: VirtualCurrencyBody,
  virtual_currency_package: VirtualCurrencyPackageBody,
  bundle: BundleBody,
  game: GameBody,
  group: GroupEntry,
  attribute: AttributeEntry,
  region: RegionEntry,
};

type Validator = ((data: unknown) => boolean) & { errors?: Parameters<typeof describeValidationError>[0][] };
const compile = requestValidatorCompiler();
const validators = new Map<EntryKind, Validator>();

/** The admin route's body validator for `kind` (compiled once). */
function validatorOf(kind: EntryKind): Validator {
  let v = validators.get(kind);
  if (!v) {
    v = compile({ schema: SCHEMA[kind], method: 'POST', url: '/import', httpPart: 'body' }) as Validator;
    validators.set(kind, v);
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The per-entry error record of a failure (AppError: its envelope text; anything else: an internal error). */
export function entryError(entry: ImportEntry, e: unknown): EntryError {
  const err =
    e instanceof AppError ? e : new AppError('INTERNAL', 'Internal error while importing the entry');
  return {
    sku: entry.key,
    type: ERROR_TYPE[entry.kind],
    error_code: err.errorCode,
    error_message: err.errorCode === 0 ? err.message : `[${err.prefix}-${err.errorCode}]: ${err.message}`,
  };
}

/**
 * The entry's body after the checks of its admin route: an object of the section's item type with a sku,
 * matching the admin request schema (defaults applied).
 * @throws AppError 422/1817 (no sku), 422/1102 (prefix 0410: not an object, wrong `type`), 422/1102 (schema)
 */
export function checkedBody(entry: ImportEntry): Record<string, unknown> {
  const where = `${entry.section}[${entry.index}]`;
  if (!isObject(entry.body)) throw new AppError('IMPORT_ENTRY_INVALID', `Entry ${where} is not an object`);
  const body = structuredClone(entry.body);
  const types = ENTRY_TYPES[entry.kind];
  if (types && typeof body.type === 'string' && !types.includes(body.type)) {
    throw new AppError(
      'IMPORT_ENTRY_INVALID',
      `Entry ${where} has type '${body.type}', which the section \`${entry.section}\` does not hold`,
    );
  }
  if (types && (typeof body.sku !== 'string' || body.sku.trim() === ''))
    throw new AppError('IMPORT_SKU_EMPTY');
  const validate = validatorOf(entry.kind);
  if (!validate(body)) {
    const details: ErrorDetail[] = (validate.errors ?? []).map(describeValidationError);
    throw new AppError(
      'VALIDATION',
      `Unprocessable Entity. ${details[0]?.message ?? 'Invalid entry'}`,
      details.slice(0, 1),
    );
  }
  return body;
}

/** Whether `e` is the store's "sku already exists" (422/4002). */
const skuTaken = (e: unknown) => e instanceof AppError && e.kind === 'SKU_EXISTS';
const notFound = (e: unknown) =>
  e instanceof AppError && (e.kind === 'ITEM_NOT_FOUND' || e.kind === 'GROUP_NOT_FOUND');

/** What an applier needs to know about the running import. */
export interface ApplyContext {
  projectId: number;
  mode: ImportMode;
  /** Source region id → region id in the project (regions entries applied so far). */
  regionIds: Map<number, number>;
  /**
   * Whether an existing `sku` may be this entry's own earlier write (the entry at the cursor of a resumed job),
   * so `create` must not report it.
   */
  ownEarlierWrite(sku: string): Promise<boolean>;
}

/** Applies entries of one import (see the module comment). */
export class EntryApplier {
  constructor(private readonly deps: ImportDeps) {}

  /** Applies `entry`; throws what the admin call would answer (AppError) when it is refused. */
  async apply(entry: ImportEntry, ctx: ApplyContext): Promise<void> {
    if (entry.kind === 'region') return this.region(entry, ctx);
    const body = checkedBody(entry);
    switch (entry.kind) {
      case 'attribute':
        return this.attribute(body, ctx);
      case 'group':
        return this.group(body, ctx);
      case 'bundle':
        return this.upsert(
          ctx,
          String(body.sku),
          () => this.deps.bundles.create(ctx.projectId, this.withRegions(body, ctx) as BundleInput),
          () =>
            this.deps.bundles.update(
              ctx.projectId,
              String(body.sku),
              this.withRegions(body, ctx) as BundleInput,
            ),
        );
      case 'game':
        return this.upsert(
          ctx,
          String(body.sku),
          () => this.deps.games.create(ctx.projectId, this.gameWithRegions(body, ctx)),
          () =>
            this.deps.games.update(ctx.projectId, { sku: String(body.sku) }, this.gameWithRegions(body, ctx)),
        );
      default: {
        const kind = ITEM_KIND[entry.kind]!;
        const item = this.withRegions(body, ctx) as unknown as ItemBody;
        return this.upsert(
          ctx,
          item.sku,
          () => this.deps.items.create(ctx.projectId, kind, item),
          () => this.deps.items.update(ctx.projectId, kind, item.sku, item),
        );
      }
    }
  }

  /**
   * Creates; when the sku exists, replaces it (modes other than `create`) through the area's update. An existing
   * sku of another kind keeps the create error (422/4002).
   */
  private async upsert(
    ctx: ApplyContext,
    sku: string,
    create: () => Promise<unknown>,
    update: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await create();
    } catch (e) {
      if (!skuTaken(e)) throw e;
      if (ctx.mode === 'create') {
        if (await ctx.ownEarlierWrite(sku)) return;
        throw e;
      }
      try {
        await update();
      } catch (u) {
        throw notFound(u) ? e : u;
      }
    }
  }

  /** Region ids of an item body mapped to this project's (ids the file does not define are kept). */
  private withRegions(body: Record<string, unknown>, ctx: ApplyContext): Record<string, unknown> {
    if (!Array.isArray(body.regions)) return body;
    return {
      ...body,
      regions: (body.regions as { id: number }[]).map((r) => ({ id: ctx.regionIds.get(r.id) ?? r.id })),
    };
  }

  private gameWithRegions(body: Record<string, unknown>, ctx: ApplyContext): GameInput {
    const game = body as unknown as GameInput;
    return {
      ...game,
      unit_items: game.unit_items.map((u) => this.withRegions(u as never, ctx) as never),
    };
  }

  /**
   * A group: created when absent; replaced in the update modes (its `items` order is applied after the items).
   * @throws what create/update-item-group answer (422/1102: unknown parent, nesting too deep, …)
   */
  private async group(body: Record<string, unknown>, ctx: ApplyContext): Promise<void> {
    const { items: _items, ...group } = body as GroupBodyInput & { items?: unknown };
    const exists = await this.deps.groups.get(ctx.projectId, group.external_id).then(
      () => true,
      (e: unknown) => {
        if (notFound(e)) return false;
        throw e;
      },
    );
    if (!exists) await this.deps.groups.create(ctx.projectId, group);
    else if (ctx.mode !== 'create') await this.deps.groups.update(ctx.projectId, group.external_id, group);
  }

  /**
   * An attribute and its values in one catalog write, with the rule item bodies use (resolveItemAttributes:
   * missing ones created, texts of existing ones replaced). In `create` mode an existing attribute is left as it is.
   * @throws 422/9908 (more than 20 values), 422/1102 (bad localization keys)
   */
  private async attribute(body: Record<string, unknown>, ctx: ApplyContext): Promise<void> {
    const a = body as {
      external_id: string;
      name: Record<string, string>;
      values?: { external_id: string; value: Record<string, string> }[];
    };
    if (ctx.mode === 'create') {
      const exists = await this.deps.attributes.get(ctx.projectId, a.external_id).then(
        () => true,
        (e: unknown) => {
          if (e instanceof AppError && e.kind === 'ATTRIBUTE_NOT_FOUND') return false;
          throw e;
        },
      );
      if (exists) return;
    }
    const values = a.values ?? [];
    await this.deps.catalogWriter.run(ctx.projectId, {}, async (trx) => {
      // resolveItemAttributes takes at most 6 values of an attribute per call (the per-item limit)
      for (let i = 0; i === 0 || i < values.length; i += 6)
        await resolveItemAttributes(trx, ctx.projectId, [
          { external_id: a.external_id, name: a.name, values: values.slice(i, i + 6) },
        ]);
    });
  }

  /**
   * A region: the project's region with the same name and countries, else a new one; its id in the file (`id`)
   * is mapped to it so items restricted to it follow.
   * @throws 422/1102 (schema, name keys)
   */
  async region(entry: ImportEntry, ctx: ApplyContext, createMissing = true): Promise<void> {
    const body = checkedBody(entry) as { id?: number; name: Record<string, string>; countries: string[] };
    const same = (r: { name: Record<string, string>; countries: string[] }) =>
      JSON.stringify(Object.entries(r.name).sort()) === JSON.stringify(Object.entries(body.name).sort()) &&
      JSON.stringify([...new Set(r.countries)]) === JSON.stringify([...new Set(body.countries)]);
    let id = (await this.deps.regions.list(ctx.projectId)).find(same)?.id;
    if (id === undefined && createMissing) id = await this.deps.regions.create(ctx.projectId, body);
    if (id !== undefined && body.id !== undefined) ctx.regionIds.set(body.id, id);
  }
}
