/**
 * The static migration map (no filesystem scanning, so `tsc` output and tests see the same list).
 * Names sort in execution order; a landed migration is never edited.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_game_keys.js';
import * as m0003 from './0003_orders.js';
import * as m0004 from './0004_carts.js';
import * as m0005 from './0005_inventory.js';
import * as m0006 from './0006_webhooks.js';
import * as m0007 from './0007_order_payments.js';
import * as m0008 from './0008_import_jobs.js';
import * as m0009 from './0009_limits.js';
import * as m0010 from './0010_catalog_changes.js';
import * as m0011 from './0011_order_requests.js';
import * as m0015 from './0015_game_code_reservations.js';
import * as m0013 from './0013_user_events.js';
import * as m0016 from './0016_identity_version.js';

export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_game_keys': m0002,
  '0003_orders': m0003,
  '0004_carts': m0004,
  '0005_inventory': m0005,
  '0006_webhooks': m0006,
  '0007_order_payments': m0007,
  '0008_import_jobs': m0008,
  '0009_limits': m0009,
  '0010_catalog_changes': m0010,
  '0011_order_requests': m0011,
  '0015_game_code_reservations': m0015,
  '0013_user_events': m0013,
  '0016_identity_version': m0016,
};
