/** The operations of the entitlements area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import getUserGames from './get-user-games.js';
import grantEntitlementAdmin from './grant-entitlement-admin.js';
import redeemGamePinCode from './redeem-game-pin-code.js';
import revokeEntitlementAdmin from './revoke-entitlement-admin.js';

export const entitlementsOperations: readonly AnyOperation[] = [
  getUserGames,
  grantEntitlementAdmin,
  redeemGamePinCode,
  revokeEntitlementAdmin,
];
