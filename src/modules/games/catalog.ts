/**
 * Catalog selections of the games area (get-games-list, get-games-group, get-game-keys-group) and the finders of
 * its single-item reads. Keys of a disabled game are not sold, so they are not listed either.
 */
import { groupItems } from '../../catalog/http.js';
import { enabledGameOf } from '../../catalog/render-games.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import type { ViewSpec } from '../../catalog/store.js';
import type { ItemRecord } from '../items/model.js';

const isGame = (i: ItemRecord) => i.type === 'game';
const sellableKey = (s: CatalogSnapshot) => (i: ItemRecord) =>
  i.type === 'game_key' && enabledGameOf(s, i) !== undefined;

export const gameCatalogViews = {
  games: { key: 'game', select: (s) => s.ofTypes(['game']) } satisfies ViewSpec,
  gamesOfGroup: (externalId: string): ViewSpec => ({
    key: `game@${externalId}`,
    select: (s) => groupItems(s, externalId).filter(isGame),
  }),
  keysOfGroup: (externalId: string): ViewSpec => ({
    key: `game_key@${externalId}`,
    select: (s) => groupItems(s, externalId).filter(sellableKey(s)),
  }),
};

/** Finder of the game `sku` for sendCatalogItem. */
export const findGame = (sku: string) => (s: CatalogSnapshot) => {
  const item = s.bySku.get(sku);
  return item && isGame(item) ? item : undefined;
};

/** Finder of the game key `sku` (of an enabled game) for sendCatalogItem. */
export const findGameKey = (sku: string) => (s: CatalogSnapshot) => {
  const item = s.bySku.get(sku);
  return item && sellableKey(s)(item) ? item : undefined;
};
