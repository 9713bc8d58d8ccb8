/**
 * Snapshot queries about games and game keys (seed-details.md D, E): the keys of a game in display order, and the
 * enabled game of a key. Pure reads of a CatalogSnapshot; the game views themselves are rendered by the games
 * module (src/modules/games/render.ts), registered with the catalog at start-up.
 */
import type { ItemRecord } from '../model/item.js';
import type { CatalogSnapshot } from './snapshot.js';

const keysIndex = new WeakMap<CatalogSnapshot, Map<number, ItemRecord[]>>();

/** The keys of the game `gameId` in display order (`order`, then creation), indexed once per snapshot. */
export function gameKeysOf(snapshot: CatalogSnapshot, gameId: number): ItemRecord[] {
  let index = keysIndex.get(snapshot);
  if (!index) {
    index = new Map();
    for (const item of snapshot.ordered) {
      if (item.type !== 'game_key' || item.parent_item_id === null) continue;
      const list = index.get(item.parent_item_id) ?? [];
      list.push(item);
      index.set(item.parent_item_id, list);
    }
    for (const list of index.values()) list.sort((a, b) => a.order - b.order || a.item_id - b.item_id);
    keysIndex.set(snapshot, index);
  }
  return index.get(gameId) ?? [];
}

/** The game of a key, when it exists and is enabled (a disabled game's keys are not sold). */
export function enabledGameOf(snapshot: CatalogSnapshot, key: ItemRecord): ItemRecord | undefined {
  const game = key.parent_item_id === null ? undefined : snapshot.byId.get(key.parent_item_id);
  return game?.is_enabled ? game : undefined;
}
