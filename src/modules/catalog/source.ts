/**
 * The CatalogSource of the catalog read model (src/catalog/source.ts), implemented by the repositories that own
 * each part: the project row (tenancy), items (items), groups, regions, unclaimed game codes (games) and the change
 * log. One repeatable-read transaction per load, so every part is of the same catalog_version. Wired in
 * src/services.ts; the catalog itself runs no SQL (issue 14 §2).
 */
import type { Kysely } from 'kysely';
import type { CatalogLoaded, CatalogSource } from '../../catalog/source.js';
import type { DB } from '../../db/types.js';
import { gamesRepository } from '../games/repository.js';
import { groupsRepository } from '../groups/repository.js';
import { itemsRepository } from '../items/repository.js';
import { regionsRepository } from '../regions/repository.js';
import { tenancyRepository } from '../tenancy/repository.js';
import { catalogChangesRepository } from './changes-repository.js';

/** A CatalogSource reading `db`. */
export function createCatalogSource(db: Kysely<DB>): CatalogSource {
  return {
    versions: (projectIds) => tenancyRepository.catalogVersions(db, projectIds),
    load(projectId, opts = {}) {
      const since = opts.since;
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx): Promise<CatalogLoaded | null> => {
          const project = await tenancyRepository.catalogHead(trx, projectId);
          if (!project) return null;
          const version = Number(project.catalog_version);
          let changed = since
            ? await catalogChangesRepository.changedBetween(trx, projectId, since.version, version)
            : null;
          if (changed && since && changed.size > since.maxChanged) changed = null;
          const [items, groups, regions] = await Promise.all([
            changed
              ? changed.size
                ? itemsRepository.load(trx, projectId, { itemIds: [...changed] })
                : Promise.resolve([])
              : itemsRepository.load(trx, projectId),
            // groups and regions are small: always read (a delta stays right even after an edit made around the writer)
            groupsRepository.forCatalog(trx, projectId),
            regionsRepository.forCatalog(trx, projectId),
          ]);
          const availableKeys = await gamesRepository.availableCounts(trx, projectId);
          return {
            project: {
              project_id: project.project_id,
              merchant_id: project.merchant_id,
              name: project.name,
            },
            version,
            changed,
            items,
            groups,
            regions,
            availableKeys,
          };
        });
    },
  };
}
