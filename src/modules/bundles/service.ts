/**
 * The bundles area (endpoints.tsv groups bundles-admin and bundles-catalog): standard bundles — one sku selling
 * several items (virtual goods, virtual currencies, other bundles, game keys) with quantities. Writes go through
 * ItemsService (kind STANDARD_BUNDLE: one transaction + catalog_version bump); show/hide go through the
 * CatalogWriter. Virtual currency packages are bundles too but are managed and listed by the virtual-items
 * endpoints only; the bundle endpoints answer 404 for them (docs/decisions/0007-bundles.md).
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { CatalogWriter } from '../catalog/writer.js';
import { groupItems } from '../../catalog/http.js';
import type { ViewSpec } from '../../catalog/store.js';
import { invalid, itemNotFoundBySku } from '../../errors/app-error.js';
import type { ItemRecord } from '../items/model.js';
import { itemsRepository } from '../items/repository.js';
import type { ItemBody } from '../items/schemas.js';
import { STANDARD_BUNDLE, type ItemsService } from '../items/service.js';
import { adminStandardBundleView, relatedIds } from './view.js';

export { STANDARD_BUNDLE };

/** A bundle body as the admin routes accept it (BundleBody): quantities and flags may be left out. */
export type BundleInput = Omit<ItemBody, 'content' | 'bundle_type'> & {
  content: { sku: string; quantity?: number }[];
  bundle_type?: 'standard' | 'partner_side_content';
};

/** Admin view of a standard bundle (bundles/view.ts). */
export type AdminBundleView = ReturnType<typeof adminStandardBundleView>;

/** True for a standard bundle (what the bundle endpoints serve). */
export const isStandardBundle = (item: Pick<ItemRecord, 'type' | 'bundle_type'>) =>
  item.type === 'bundle' && item.bundle_type === 'standard';

/**
 * The ItemBody of a bundle body: `quantity` defaults to 1, `is_show_in_store` to false (spec admin-create-bundle
 * defaults).
 * @throws 422/1102 for `bundle_type: partner_side_content` (not supported) and for a sku listed twice in `content`.
 */
export function bundleItemBody(body: BundleInput): ItemBody {
  if (body.bundle_type === 'partner_side_content') {
    throw invalid('bundle_type', 'Bundles of type partner_side_content are not supported; use standard');
  }
  const seen = new Set<string>();
  body.content.forEach((c, i) => {
    if (seen.has(c.sku)) throw invalid(`content[${i}].sku`, `Item with sku = '${c.sku}' is listed twice`);
    seen.add(c.sku);
  });
  return {
    ...body,
    bundle_type: 'standard',
    is_show_in_store: body.is_show_in_store ?? false,
    content: body.content.map((c) => ({ sku: c.sku, quantity: c.quantity ?? 1 })),
  };
}

export class BundlesService {
  constructor(
    private readonly items: ItemsService,
    private readonly writer: CatalogWriter,
  ) {}

  /**
   * Creates a standard bundle. Returns its sku.
   * @throws 422/4002 sku taken; 422/1102 invalid body or content (unknown sku, a game, listed twice); 404/4403
   *   unknown group.
   */
  async create(projectId: number, body: BundleInput, write: WriteOptions = {}): Promise<{ sku: string }> {
    const { sku } = await this.items.create(projectId, STANDARD_BUNDLE, bundleItemBody(body), write);
    return { sku };
  }

  /**
   * Replaces the standard bundle `sku` (admin PUT replaces; the body's sku may rename it).
   * @throws 404/4001 no such standard bundle; 422/4002 new sku taken; 422/1102 invalid body or a content that
   *   would hold the bundle itself.
   */
  async update(projectId: number, sku: string, body: BundleInput, write: WriteOptions = {}): Promise<void> {
    await this.items.update(projectId, STANDARD_BUNDLE, sku, bundleItemBody(body), write);
  }

  /**
   * Deletes the standard bundle `sku`.
   * @throws 404/4001 no such standard bundle; 422/1102 while another bundle contains it.
   */
  async remove(projectId: number, sku: string, write: WriteOptions = {}): Promise<void> {
    await this.items.remove(projectId, STANDARD_BUNDLE, sku, write);
  }

  /**
   * Shows (`shown = true`) or hides the standard bundle `sku` in the catalog (`is_show_in_store`); the bundle
   * stays sellable through other means (seed-details §8 rule 6).
   * @throws 404/4001 no such standard bundle.
   */
  async setShown(projectId: number, sku: string, shown: boolean, write: WriteOptions = {}): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      if ((await itemsRepository.setBundleShownInStore(trx, projectId, sku, shown)) === 0) throw itemNotFoundBySku(sku);
    });
  }

  /** The admin view of the standard bundle `sku`. @throws 404/4001 */
  async adminGet(projectId: number, sku: string): Promise<AdminBundleView> {
    const [view] = await this.adminViews(projectId, [await this.items.get(projectId, STANDARD_BUNDLE, sku)]);
    return view;
  }

  /**
   * A page of standard bundles in catalog order, or of one group's in group order (by external id or numeric id).
   * @throws 404/4403 unknown group.
   */
  async adminList(
    projectId: number,
    page: { limit: number; offset: number },
    group?: { externalId?: string; groupId?: number },
  ): Promise<{ items: AdminBundleView[] }> {
    const records = await this.items.list(projectId, STANDARD_BUNDLE, page, group);
    return { items: await this.adminViews(projectId, records) };
  }

  private async adminViews(projectId: number, records: ItemRecord[]): Promise<AdminBundleView[]> {
    const related = await this.items.byIds(projectId, relatedIds(records));
    return records.map((r) => adminStandardBundleView(r, related));
  }
}

/** Catalog selections of the area: listed standard bundles, in catalog order or in one group's order. */
export const bundleViews = {
  all: {
    key: 'standard_bundle',
    select: (s) => s.ofTypes(['bundle']).filter(isStandardBundle),
  } satisfies ViewSpec,
  ofGroup: (externalId: string): ViewSpec => ({
    key: `standard_bundle@${externalId}`,
    select: (s) => groupItems(s, externalId).filter(isStandardBundle),
  }),
};
