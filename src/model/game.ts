/**
 * The game-key parts of the item model: pre-order settings (stored in `items.pre_order`) and what they mean at a
 * given instant. Pure functions, shared by the admin service and the catalog rendering.
 */
import { parseIsoWithOffset } from '../lib/dates.js';

/** Pre-order settings of a game key as stored in `items.pre_order`. */
export interface PreOrder {
  is_enabled: boolean;
  /** ISO 8601 with the offset it was given in, or null. */
  release_date: string | null;
  description: string | null;
}

/** True when the key is a pre-order now: pre-order enabled and its release date still ahead (seed-details §8 #16). */
export function isPreOrder(preOrder: unknown, now: number): boolean {
  const p = preOrder as Partial<PreOrder> | null;
  if (!p?.is_enabled || !p.release_date) return false;
  const release = parseIsoWithOffset(p.release_date);
  return release !== null && release.date.getTime() > now;
}

/** The release date of a key (ISO 8601), or null when it has no pre-order settings. */
export function releaseDateOf(preOrder: unknown): string | null {
  return (preOrder as Partial<PreOrder> | null)?.release_date ?? null;
}

/** The release instant (ms) of an enabled pre-order, or null — a catalog view changes when it passes. */
export function releaseInstant(preOrder: unknown): number | null {
  const p = preOrder as Partial<PreOrder> | null;
  if (!p?.is_enabled || !p.release_date) return null;
  return parseIsoWithOffset(p.release_date)?.date.getTime() ?? null;
}
