/**
 * The service container of one app instance: every area's service built once over the database, wired to the
 * catalog read model. buildApp decorates the Fastify instance with it (`app.services`); there are no module
 * singletons. Add an area's service here.
 */
import { CatalogStore } from './catalog/store.js';
import { CatalogWriter } from './catalog/writes.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { IdempotencyService } from './http/idempotency.js';
import { AttributesService } from './modules/attributes/service.js';
import { BundlesService } from './modules/bundles/service.js';
import { EntitlementsService } from './modules/entitlements/service.js';
import { GamesService } from './modules/games/service.js';
import { GroupsService } from './modules/groups/service.js';
import { ItemsService } from './modules/items/service.js';
import { RegionsService } from './modules/regions/service.js';
import { TenancyService } from './modules/tenancy/service.js';

export interface Services {
  config: Config;
  database: Database;
  tenancy: TenancyService;
  catalog: CatalogStore;
  /** Runs admin catalog writes (transaction + catalog_version bump + invalidation). */
  catalogWriter: CatalogWriter;
  items: ItemsService;
  attributes: AttributesService;
  bundles: BundlesService;
  groups: GroupsService;
  regions: RegionsService;
  /** Games, game keys and their code pools. */
  games: GamesService;
  entitlements: EntitlementsService;
  /** Transaction + Idempotency-Key runner of state-changing purchase calls. */
  idempotency: IdempotencyService;
}

/** Builds the services of one app over `database`. `clock` (ms since epoch) drives the catalog's notion of now. */
export function createServices(config: Config, database: Database, clock?: () => number): Services {
  const catalog = new CatalogStore(database.db, { pageCacheEntries: config.catalogCacheEntries, clock });
  const catalogWriter = new CatalogWriter(database.db, (projectId, version) =>
    catalog.invalidate(projectId, version),
  );
  const items = new ItemsService(database.db, catalogWriter);
  const games = new GamesService(database.db, catalogWriter, items, catalog);
  return {
    config,
    database,
    tenancy: new TenancyService(database.db),
    catalog,
    catalogWriter,
    items,
    attributes: new AttributesService(database.db, catalogWriter),
    bundles: new BundlesService(items, catalogWriter),
    groups: new GroupsService(database.db, catalogWriter),
    regions: new RegionsService(database.db, catalogWriter),
    games,
    entitlements: new EntitlementsService(database.db, catalog, games, clock),
    idempotency: new IdempotencyService(database.db),
  };
}
