/**
 * The static migration map (no filesystem scanning, so `tsc` output and tests see the same list).
 * Names sort in execution order; a landed migration is never edited.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_game_keys.js';
import * as m0003 from './0003_orders.js';

export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_game_keys': m0002,
  '0003_orders': m0003,
};
