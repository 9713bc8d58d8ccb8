/**
 * The service container of one app instance: every area's service built once over the database, wired to the
 * catalog read model. buildApp decorates the Fastify instance with it (`app.services`); there are no module
 * singletons. Add an area's service here.
 */
import { CatalogStore } from './catalog/store.js';
import { CatalogWriter } from './catalog/writes.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { ItemsService } from './modules/items/service.js';
import { TenancyService } from './modules/tenancy/service.js';

export interface Services {
  config: Config;
  database: Database;
  tenancy: TenancyService;
  catalog: CatalogStore;
  /** Runs admin catalog writes (transaction + catalog_version bump + invalidation). */
  catalogWriter: CatalogWriter;
  items: ItemsService;
}

/** Builds the services of one app over `database`. `clock` (ms since epoch) drives the catalog's notion of now. */
export function createServices(config: Config, database: Database, clock?: () => number): Services {
  const catalog = new CatalogStore(database.db, { pageCacheEntries: config.catalogCacheEntries, clock });
  const catalogWriter = new CatalogWriter(database.db, (projectId, version) =>
    catalog.invalidate(projectId, version),
  );
  return {
    config,
    database,
    tenancy: new TenancyService(database.db),
    catalog,
    catalogWriter,
    items: new ItemsService(database.db, catalogWriter),
  };
}
