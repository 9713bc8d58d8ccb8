/**
 * The service container of one app instance: every area's service built once over the database, wired to the
 * catalog read model. buildApp decorates the Fastify instance with it (`app.services`); there are no module
 * singletons. Add an area's service here.
 */
import { CatalogStore } from './catalog/store.js';
import { CatalogSync } from './catalog/sync.js';
import { registerCatalogOverlay } from './catalog/http.js';
import { overlayLimits } from './modules/limits/overlay.js';
import { AvailabilityService, countersOf } from './modules/availability/service.js';
import { createCatalogSource } from './modules/catalog/source.js';
import { registerGameRenderers } from './modules/games/render.js';
import { CatalogWriter } from './modules/catalog/writer.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { UnitOfWork } from './db/unit-of-work.js';
import { createFanout, type Fanout } from './fanout/fanout.js';
import { AttributesService } from './modules/attributes/service.js';
import { CartService } from './modules/cart/service.js';
import { BundlesService } from './modules/bundles/service.js';
import { EntitlementsService } from './modules/entitlements/service.js';
import { ImportService } from './modules/connector/service.js';
import { GamesService } from './modules/games/service.js';
import { GroupsService } from './modules/groups/service.js';
import { InventoryService } from './modules/inventory/service.js';
import { ItemsService } from './modules/items/service.js';
import { LimitsService } from './modules/limits/service.js';
import type { OrderPorts } from './modules/orders/model.js';
import { OrdersService, type OrdersLog } from './modules/orders/service.js';
import { PaystationService } from './modules/paystation/service.js';
import { PreOrdersService } from './modules/pre-orders/service.js';
import { RealtimeService } from './modules/realtime/service.js';
import { RegionsService } from './modules/regions/service.js';
import { ProjectDirectory } from './modules/tenancy/directory.js';
import { TenancyService } from './modules/tenancy/service.js';
import { parseRetrySchedule } from './modules/webhooks/schedule.js';
import { WebhooksService } from './modules/webhooks/service.js';

export interface Services {
  config: Config;
  database: Database;
  /** Projects, API keys and JWT secrets as auth reads them: one cache, kept current over the fan-out. */
  directory: ProjectDirectory;
  /** Merchants, projects, API keys and user tokens (writes announce identity changes to the directory). */
  tenancy: TenancyService;
  catalog: CatalogStore;
  /** Runs admin catalog writes (transaction + catalog_version bump + invalidation). */
  catalogWriter: CatalogWriter;
  /** The fan-out between the processes of a deployment (started and closed by the app; src/fanout). */
  fanout: Fanout;
  /** Broadcast of catalog_version bumps between processes over the fan-out (started and closed by the app). */
  catalogSync: CatalogSync;
  items: ItemsService;
  attributes: AttributesService;
  bundles: BundlesService;
  groups: GroupsService;
  regions: RegionsService;
  /** Games, game keys and their code pools. */
  games: GamesService;
  entitlements: EntitlementsService;
  /** Users' carts (cart-client-side, cart-server-side) and turning a cart into order lines. */
  carts: CartService;
  /** Delivery of orders, player inventories and virtual-currency balances. */
  inventory: InventoryService;
  /** The one way a write runs: transaction, Idempotency-Key, retries, after-commit hooks (src/db/unit-of-work.ts). */
  unitOfWork: UnitOfWork;
  /** The sandbox pay station's show and pay/fail/cancel operations. */
  paystation: PaystationService;
  /** Webhook settings, the order-event outbox and its delivery worker. */
  webhooks: WebhooksService;
  /** Orders, payment tokens, the payment status machine, free and virtual-currency purchases. */
  orders: OrdersService;
  /** Catalog imports (connector-admin) and their background worker. */
  imports: ImportService;
  /** Purchase limits: per-user counters, global stock, reservations of orders (user-limits-admin). */
  limits: LimitsService;
  /** Volatile availability: game-code pools, stock, per-user usage (the catalog overlay reads it). */
  availability: AvailabilityService;
  /** Pre-order quantities (common-pre-orders). */
  preOrders: PreOrdersService;
  /** The realtime order channel: authentication and delivery of status changes to the connections. */
  realtime: RealtimeService;
}

/**
 * Builds the services of one app over `database`. `clock` (ms since epoch) drives the catalog's notion of now;
 * `log` receives what operators must act on (e.g. a paid order that could not be fully delivered).
 */
export function createServices(
  config: Config,
  database: Database,
  clock?: () => number,
  log?: OrdersLog,
): Services {
  // Modules plug their item-type renderers into the catalog (the catalog imports no module).
  registerGameRenderers();
  registerCatalogOverlay(overlayLimits); // live stock and per-user limits on every catalog read
  const catalogSource = createCatalogSource(database.db);
  const catalog = new CatalogStore(catalogSource, {
    pageCacheEntries: config.catalogCacheEntries,
    clock,
  });
  // Several processes on one database: one fan-out (NOTIFY or Redis; src/fanout) carries catalog version bumps
  // (catalog/sync.ts) and order status changes (the realtime channel).
  const fanout = createFanout(config, database.engine, database.db);
  const catalogSync = new CatalogSync(
    fanout,
    catalogSource,
    catalog,
    (config.catalogSyncRecheckSeconds ?? 5) * 1000,
  );
  const unitOfWork = new UnitOfWork(database.db, (err) =>
    log?.error({ err }, 'a hook after a committed write failed'),
  );
  const catalogWriter = new CatalogWriter(
    unitOfWork,
    (projectId, version) => {
      catalog.invalidate(projectId, version);
      catalogSync.afterCommit(projectId, version);
    },
    (trx, projectId, version) => catalogSync.inTransaction(trx, projectId, version),
  );
  const items = new ItemsService(database.db, catalogWriter);
  // Volatile counters (game-code pools, stock, per-user usage): one cache policy, dropped or re-read after
  // purchases commit, fanned out like catalog versions.
  const availability = new AvailabilityService(countersOf(database.db), catalog, fanout, clock);
  const games = new GamesService(database.db, catalogWriter, items, catalog, availability, unitOfWork);
  // Auth reads projects, keys and secrets here only, never from the catalog (issue 14 §4).
  const directory = new ProjectDirectory(database.db, fanout);
  const tenancy = new TenancyService(database.db, directory, unitOfWork);
  const limits = new LimitsService(database.db, unitOfWork, availability, clock);
  const services: Services = {
    config,
    database,
    directory,
    tenancy,
    catalog,
    catalogWriter,
    fanout,
    catalogSync,
    items,
    attributes: new AttributesService(database.db, catalogWriter),
    bundles: new BundlesService(items, catalogWriter),
    groups: new GroupsService(database.db, catalogWriter),
    regions: new RegionsService(database.db, catalogWriter),
    games,
    entitlements: new EntitlementsService(database.db, unitOfWork, catalog, games, clock),
    carts: new CartService(database.db, unitOfWork, catalog, tenancy),
    inventory: new InventoryService(database.db, unitOfWork, catalog, games),
    unitOfWork,
    webhooks: new WebhooksService(database.db, unitOfWork, {
      retryDelaysMs: parseRetrySchedule(config.webhookRetrySchedule),
      timeoutMs: config.webhookTimeoutMs,
      pollIntervalMs: config.webhookPollIntervalMs,
      concurrency: config.webhookConcurrency,
      clock,
    }),
    orders: new OrdersService(
      database.db,
      unitOfWork,
      catalog,
      config,
      () => orderPorts(services),
      clock,
      log,
    ),
    imports: new ImportService(database.db, () => services, { fileDir: config.importFileDir }),
    limits,
    availability,
    preOrders: new PreOrdersService(catalogWriter, availability, database.db),
    realtime: undefined as unknown as RealtimeService, // set below: needs the orders service
    paystation: undefined as unknown as PaystationService, // set below: needs the orders service
  };
  services.paystation = new PaystationService(unitOfWork, services.orders, catalog, services.inventory);
  services.realtime = new RealtimeService(tenancy, services.orders, fanout);
  return services;
}

/** What orders need from the cart, delivery and webhook services (modules/orders/model.ts). */
const orderPorts = (s: Services): OrderPorts => ({
  carts: s.carts,
  delivery: s.inventory,
  webhooks: s.webhooks,
  limits: s.limits,
});
