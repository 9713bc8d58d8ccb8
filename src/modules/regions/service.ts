/**
 * Regions (spec operations admin-get-regions, admin-create-region, admin-get-region, admin-update-region,
 * admin-delete-region): named lists of countries that items are restricted to (seed-details §2.10: an item
 * with no regions is sold everywhere). Rules (docs/decisions/0009-regions.md):
 * - `name` keys are locales as the spec writes them (`en-US`) or languages (`en`), stored and returned as sent;
 * - `countries` are uppercase ISO 3166-1 alpha-2 codes, duplicates dropped, order kept;
 * - deleting a region also removes it from every item restricted to it (an item left with no region is then
 *   sold everywhere, as the seeds define an empty list).
 * Writes run through CatalogWriter, so the catalog's country filter sees them on the next read.
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { Kysely } from 'kysely';
import type { CatalogWriter } from '../catalog/writer.js';
import type { DB } from '../../db/types.js';
import { AppError, invalid } from '../../errors/app-error.js';
import { regionsRepository as repo, type RegionRow } from './repository.js';

/** A region as the admin API returns it. */
export interface RegionView {
  id: number;
  name: Record<string, string>;
  countries: string[];
}

export interface RegionInput {
  name: Record<string, string>;
  countries: string[];
}

const LOCALE_KEY = /^[a-z]{2}(-[A-Z]{2})?$/;

/** 404/9701 (spec response 404-region-not-found). */
export const regionNotFound = (regionId: number) =>
  new AppError('REGION_NOT_FOUND', `Region with id = ${regionId} not found`);

const view = (r: RegionRow): RegionView => ({ id: r.region_id, name: r.name, countries: r.countries });

/** Checks the name keys and de-duplicates countries. @throws 422/1102 for a key that is not a locale */
function normalize(body: RegionInput): RegionInput {
  const bad = Object.keys(body.name).filter((k) => !LOCALE_KEY.test(k));
  if (bad.length)
    throw invalid('name', `Keys must be locales such as en-US (or languages such as en): ${bad.join(', ')}`);
  return { name: body.name, countries: [...new Set(body.countries)] };
}

export class RegionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: CatalogWriter,
  ) {}

  /** Every region of the project, by id. */
  async list(projectId: number): Promise<RegionView[]> {
    return (await repo.list(this.db, projectId)).map(view);
  }

  /** @throws 404/9701 */
  async get(projectId: number, regionId: number): Promise<RegionView> {
    const r = await repo.get(this.db, projectId, regionId);
    if (!r) throw regionNotFound(regionId);
    return view(r);
  }

  /** Creates a region; returns its id. @throws 422/1102 */
  async create(projectId: number, body: RegionInput, write: WriteOptions = {}): Promise<number> {
    const { name, countries } = normalize(body);
    return this.writer.run(projectId, write, (trx) => repo.insert(trx, projectId, name, countries));
  }

  /** Replaces name and countries. @throws 404/9701, 422/1102 */
  async update(
    projectId: number,
    regionId: number,
    body: RegionInput,
    write: WriteOptions = {},
  ): Promise<void> {
    const { name, countries } = normalize(body);
    await this.writer.run(projectId, write, async (trx) => {
      if (!(await repo.update(trx, projectId, regionId, name, countries))) throw regionNotFound(regionId);
    });
  }

  /** Deletes the region and removes it from the items restricted to it. @throws 404/9701 */
  async remove(projectId: number, regionId: number, write: WriteOptions = {}): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      if (!(await repo.delete(trx, projectId, regionId))) throw regionNotFound(regionId);
    });
  }
}
