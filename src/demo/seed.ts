/**
 * The demo store: merchant 10000, project 59080 (the project of the seeds' examples) and its catalog — three
 * item groups (swords, bows, armour), three virtual currencies (gold, silver, bronze), a chest of each as a
 * virtual currency package, and seven non-consumable virtual goods priced in USD and in the three currencies,
 * each in its group (armour in the order of the seeds' group example, Appendix X3). The content is in
 * `demo-store.json`, written in the admin API's format (the bodies of admin-create-item-group,
 * admin-create-virtual-currency, admin-create-virtual-currency-package and admin-create-virtual-item); groups
 * are created first, through GroupsService; the items, names, prices and images
 * are those of the seeds' catalog examples (spec/seed-details.md, Appendix X2 and X3). The pictures are Itemshop's own
 * (public/demo/<sku>.png, drawn by scripts/demo-images.ts, served under /static/demo/): the files name them by path
 * and the seed makes them absolute on the server's base URL (DemoSeedOptions.baseUrl; ADR 0036).
 * The two standard bundles of Appendix X2 (Chest of armor, Treasure Chest) are in `bundles.json` (bodies of
 * admin-create-bundle) and are created last, through BundlesService.
 * The game of `games.json` (a Steam key and a DRM-free key, five codes each) is created after the items, through
 * GamesService (games.ts).
 *
 * Each body is checked against the admin route's own request schema and written through ItemsService, the
 * same code as the admin API — never by SQL. Seeding is idempotent: when project 59080 exists nothing is
 * touched (its items may have been edited on purpose).
 */
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { BundleBody } from '../modules/bundles/schemas.js';
import type { BundleInput, BundlesService } from '../modules/bundles/service.js';
import { GroupBody, type GroupBodyInput } from '../modules/groups/schemas.js';
import type { GamesService } from '../modules/games/service.js';
import type { GroupsService } from '../modules/groups/service.js';
import type { ItemKind, ItemsService } from '../modules/items/service.js';
import type { ItemBody } from '../modules/items/schemas.js';
import type { TenancyService } from '../modules/tenancy/service.js';
import {
  VIRTUAL_CURRENCY,
  VIRTUAL_CURRENCY_PACKAGE,
  VIRTUAL_GOOD,
} from '../modules/virtual-items/service.js';
import {
  VirtualCurrencyBody,
  VirtualCurrencyPackageBody,
  VirtualItemBody,
} from '../modules/virtual-items/schemas.js';
import { isUniqueViolation } from '../errors/postgres.js';
import demoStoreJson from './demo-store.json' with { type: 'json' };
import demoBundlesJson from './bundles.json' with { type: 'json' };
import { seedDemoGames } from './games.js';
import { DEFAULT_DEMO_BASE_URL, withAbsoluteImage, type DemoSeedOptions } from './images.js';

/** Shape of demo-store.json: who owns the demo, then admin item bodies by kind (created in this order). */
export interface DemoStore {
  merchant: { merchant_id: number; name: string };
  project: { project_id: number; name: string };
  /** admin-create-item-group bodies, created before the items (parents before children). */
  groups?: GroupBodyInput[];
  virtual_currencies: ItemBody[];
  virtual_currency_packages: ItemBody[];
  virtual_items: ItemBody[];
}

export const DEMO_STORE = demoStoreJson as unknown as DemoStore;
/** admin-create-bundle bodies of the demo (bundles.json), created after every item. */
export const DEMO_BUNDLES = (demoBundlesJson as unknown as { bundles: BundleInput[] }).bundles;
/** Id of the demo project (59080, the project of the seeds' examples). */
export const DEMO_PROJECT_ID = DEMO_STORE.project.project_id;
/** Id the demo merchant gets on a database that has no merchant 10000 yet. */
export const DEMO_MERCHANT_ID = DEMO_STORE.merchant.merchant_id;

export interface DemoSeedResult {
  /** True when this call created the demo project; false when it already existed. */
  created: boolean;
  projectId: number;
  merchantId: number;
  /** Skus created by this call, in creation order (empty when the project existed). */
  skus: string[];
}

/** The demo's item sections with the admin operation (kind + body schema) that accepts them. */
function sections(
  store: DemoStore,
): { kind: ItemKind; schema: TSchema; bodies: ItemBody[]; label: string }[] {
  return [
    {
      kind: VIRTUAL_CURRENCY,
      schema: VirtualCurrencyBody,
      bodies: store.virtual_currencies,
      label: 'virtual_currencies',
    },
    {
      kind: VIRTUAL_CURRENCY_PACKAGE,
      schema: VirtualCurrencyPackageBody,
      bodies: store.virtual_currency_packages,
      label: 'virtual_currency_packages',
    },
    { kind: VIRTUAL_GOOD, schema: VirtualItemBody, bodies: store.virtual_items, label: 'virtual_items' },
  ];
}

/**
 * Validates `body` as the admin route would (defaults applied, unknown shapes rejected).
 * @throws Error naming the demo entry and the first schema violation.
 */
function adminBody<T>(schema: TSchema, body: T, where: string): T {
  const value = Value.Default(schema, structuredClone(body));
  if (!Value.Check(schema, value)) {
    const first = [...Value.Errors(schema, value)][0];
    throw new Error(
      `demo-store.json ${where}: ${first?.instancePath ?? ''} ${first?.message ?? 'invalid'}`.trim(),
    );
  }
  return value as T;
}

/**
 * Creates the demo merchant, project and items unless the demo project exists.
 * The merchant gets id 10000 when that id is free, else a generated id (a merchant created before the demo keeps
 * its id and gets no access to the demo). A crash half-way leaves a partial demo project, which later starts keep
 * as it is (delete the project, or the data directory, to re-seed).
 * @throws Error when demo-store.json does not satisfy an admin schema; AppError from ItemsService (e.g. 422/4002).
 */
export async function seedDemo(
  services: {
    tenancy: TenancyService;
    items: ItemsService;
    groups: GroupsService;
    bundles: BundlesService;
    games: GamesService;
  },
  store: DemoStore = DEMO_STORE,
  demoBundles: BundleInput[] = DEMO_BUNDLES,
  options: DemoSeedOptions = {},
): Promise<DemoSeedResult> {
  const base = options.baseUrl ?? DEFAULT_DEMO_BASE_URL;
  const { tenancy, items, groups, bundles } = services;
  const projectId = store.project.project_id;
  const existing = await tenancy.getProject(projectId);
  if (existing) return { created: false, projectId, merchantId: existing.merchant_id, skus: [] };

  const groupBodies = (store.groups ?? []).map((g, i) => adminBody(GroupBody, g, `groups[${i}]`));
  const bodies = sections(store).map((s) => ({
    ...s,
    bodies: s.bodies.map((b, i) => adminBody(s.schema, withAbsoluteImage(b, base), `${s.label}[${i}]`)),
  }));
  const bundleBodies = demoBundles.map((b, i) =>
    adminBody(BundleBody, withAbsoluteImage(b, base), `(bundles.json) bundles[${i}]`),
  );
  const wanted = store.merchant.merchant_id;
  const merchantId = (await tenancy.merchantExists(wanted))
    ? await tenancy.createMerchant(store.merchant.name)
    : await tenancy.createMerchant(store.merchant.name, wanted);
  try {
    await tenancy.createProject(merchantId, store.project.name, projectId);
  } catch (e) {
    // Another process (several servers on one PostgreSQL) created it between our check and insert.
    if (isUniqueViolation(e) && (await tenancy.getProject(projectId))) {
      return {
        created: false,
        projectId,
        merchantId: (await tenancy.getProject(projectId))!.merchant_id,
        skus: [],
      };
    }
    throw e;
  }
  for (const group of groupBodies) await groups.create(projectId, group);
  const skus: string[] = [];
  for (const section of bodies) {
    for (const body of section.bodies) skus.push((await items.create(projectId, section.kind, body)).sku);
  }
  skus.push(...(await seedDemoGames(services.games, projectId, undefined, base))); // games.json, after the currencies
  for (const body of bundleBodies) skus.push((await bundles.create(projectId, body)).sku);
  return { created: true, projectId, merchantId, skus };
}
