/** The operations of the games area (games, game keys, their codes, DRMs), one route file each. */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateGame from './admin-create-game.js';
import adminDeleteCodesById from './admin-delete-codes-by-id.js';
import adminDeleteCodesBySku from './admin-delete-codes-by-sku.js';
import adminDeleteGameById from './admin-delete-game-by-id.js';
import adminDeleteGameBySku from './admin-delete-game-by-sku.js';
import adminGetCodesById from './admin-get-codes-by-id.js';
import adminGetCodesBySku from './admin-get-codes-by-sku.js';
import adminGetCodesSession from './admin-get-codes-session.js';
import adminGetGameById from './admin-get-game-by-id.js';
import adminGetGameBySku from './admin-get-game-by-sku.js';
import adminGetGameList from './admin-get-game-list.js';
import adminUpdateGameById from './admin-update-game-by-id.js';
import adminUpdateGameBySku from './admin-update-game-by-sku.js';
import adminUploadCodesById from './admin-upload-codes-by-id.js';
import adminUploadCodesBySku from './admin-upload-codes-by-sku.js';
import getDrmList from './get-drm-list.js';
import getGameBySku from './get-game-by-sku.js';
import getGameKeyBySku from './get-game-key-by-sku.js';
import getGameKeysGroup from './get-game-keys-group.js';
import getGamesGroup from './get-games-group.js';
import getGamesList from './get-games-list.js';

export const gamesOperations: readonly AnyOperation[] = [
  adminCreateGame,
  adminDeleteCodesById,
  adminDeleteCodesBySku,
  adminDeleteGameById,
  adminDeleteGameBySku,
  adminGetCodesById,
  adminGetCodesBySku,
  adminGetCodesSession,
  adminGetGameById,
  adminGetGameBySku,
  adminGetGameList,
  adminUpdateGameById,
  adminUpdateGameBySku,
  adminUploadCodesById,
  adminUploadCodesBySku,
  getDrmList,
  getGameBySku,
  getGameKeyBySku,
  getGameKeysGroup,
  getGamesGroup,
  getGamesList,
];
