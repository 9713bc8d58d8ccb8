/**
 * Dependency rules of src/ (issue 14 §2, DESIGN §2), checked by `npm run depcheck` (part of `npm run lint` and
 * .ci/run). Layers, lowest first — a layer imports only itself and the layers below it:
 *
 *   lib, config           leaves (third-party packages only)
 *   item model            src/model/item.ts and src/modules/items/model.ts: imports nothing of ours
 *   model                 src/model/**: pure rules over the item model (lib allowed)
 *   errors                the error catalogue (lib allowed)
 *   db, fanout            data layer (config, lib, errors allowed)
 *   catalog               the read model: no module, no route layer, no SQL
 *   modules, http, …      everything above
 *
 * Type-only imports count like any other (`tsPreCompilationDeps: true`): a type import still couples the layers
 * and is how the cycles of issue 14 started. There is no baseline of tolerated violations: any violation fails.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports included) couples every module on it.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'src/lib and src/config.ts are leaves: they import nothing of ours but src/lib.',
      from: { path: '^src/(lib/|config\\.ts$)' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'item-model-is-a-leaf',
      severity: 'error',
      comment: 'The item model (ItemRecord, prices, periods, limits, media) imports nothing of ours.',
      from: { path: '^src/(model/item\\.ts|modules/items/model\\.ts)$' },
      to: { path: '^src/', pathNot: '^src/model/item\\.ts$' },
    },
    {
      name: 'model-imports-only-lib',
      severity: 'error',
      comment: 'src/model holds pure rules over the item model: it imports only itself and src/lib.',
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/(model|lib)/' },
    },
    {
      name: 'errors-import-only-lib',
      severity: 'error',
      comment: 'The error catalogue sits under everything that raises errors: it imports only src/lib.',
      from: { path: '^src/errors/' },
      to: { path: '^src/', pathNot: '^src/(errors|lib)/' },
    },
    {
      name: 'data-layer-imports-nothing-above',
      severity: 'error',
      comment: 'src/db and src/fanout import only the data layer, config, lib, errors and the model.',
      from: { path: '^src/(db|fanout)/' },
      to: { path: '^src/', pathNot: '^src/(db/|fanout/|lib/|errors/|model/|config\\.ts$)' },
    },
    {
      name: 'catalog-imports-no-module',
      severity: 'error',
      comment:
        'The catalog read model is a leaf that modules plug into (renderers, overlays, the CatalogSource port): ' +
        'it imports no src/modules, no route layer and no app wiring.',
      from: { path: '^src/catalog/' },
      to: {
        path: '^src/(modules|http|ops|demo)/|^src/(app|services|server|cli|cluster)\\.ts$',
        // the shared TypeBox atoms (limit, offset, Nullable…): a leaf that imports only typebox
        pathNot: '^src/http/schemas\\.ts$',
      },
    },
    {
      name: 'catalog-runs-no-sql',
      severity: 'error',
      comment:
        'No SQL in src/catalog: the store loads through the CatalogSource port implemented by the owning ' +
        'repositories (the db types of the port are not SQL, kysely itself is).',
      from: { path: '^src/catalog/' },
      to: { path: '^src/db/(?!types\\.ts$)|node_modules/(kysely|pg|@electric-sql)/' },
    },
    {
      name: 'nothing-imports-the-app',
      severity: 'error',
      comment: 'The app wiring (app, services, server, cli, cluster) is the top: no layer imports it.',
      // ops, demo and a module's CLI commands (modules/*/cli.ts) are entry points like src/cli.ts: they build the app
      from: {
        path: '^src/(?!(app|services|server|cli|cluster)\\.ts$)',
        pathNot: '^src/(ops|demo)/|^src/modules/[^/]+/cli\\.ts$',
      },
      to: { path: '^src/(app|services|server|cli|cluster)\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/|node_modules/(kysely|pg|@electric-sql)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
