/**
 * The DRM platforms game keys are sold for (get-drm-list), a fixed list as the real service serves it.
 *
 * Sources (docs/decisions/0005-games-game-keys-entitlements.md): the spec's get-drm-list example gives
 * `steam_key_1` (drm_id 1, Steam) and `playstation_key_1` (drm_id 2, Playstation); the admin game examples give
 * `epicgames_key_1` (drm_id 8, "Epic Games Store") and `origin_key_1` (Origin); the entitlement calls name the
 * DRMs by a short name from a closed enum (steam, playstation, xbox, uplay, origin, drmfree, gog, epicgames,
 * nintendo_eshop, discord_game_store, oculus, rockstar, viveport, stadia). The ids follow that enum's order,
 * which matches both attested ids (steam 1, playstation 2, epicgames 8).
 *
 * A game key names its DRM in `drm_sku` by the DRM's sku (`steam_key_1`) or by its short name (`steam`, as the
 * seeds' examples do); both resolve to the same DRM and the key keeps the form it was given.
 */

export interface Drm {
  /** 1-based id (get-drm-list `drm_id`, admin `drm_id`). */
  drm_id: number;
  /** SKU of the DRM (get-drm-list `sku`). */
  sku: string;
  /** Short name used by the entitlement calls (`drm` of get-user-games, `drm.sku` of grant/revoke). */
  short: string;
  name: string;
  image: string;
  /** Platform home/support page, or null. */
  link: string | null;
  /** Where a buyer learns to activate a key. */
  redeem_instruction_link: string;
}

/** Image used for every DRM (the real service's generic DRM picture in the spec's examples). */
const DRM_IMAGE = 'https://cdn.xsolla.net/img/misc/images/b79342cdf24f0f8557b63c87e8326e62.png';

const drm = (
  drm_id: number,
  short: string,
  name: string,
  link: string | null,
  redeem_instruction_link: string,
): Drm => ({
  drm_id,
  sku: short === 'drmfree' ? 'drmfree_1' : `${short}_key_1`,
  short,
  name,
  image: DRM_IMAGE,
  link,
  redeem_instruction_link,
});

/** Every DRM, in drm_id order. */
export const DRMS: readonly Drm[] = [
  drm(1, 'steam', 'Steam', 'https://support.steampowered.com', 'https://support.steampowered.com'),
  drm(2, 'playstation', 'Playstation', null, 'https://support.us.playstation.com'),
  drm(3, 'xbox', 'Xbox', 'https://www.xbox.com', 'https://support.xbox.com'),
  drm(4, 'uplay', 'Uplay', 'https://ubisoftconnect.com', 'https://www.ubisoft.com/help'),
  drm(5, 'origin', 'Origin', 'https://www.ea.com', 'https://help.ea.com'),
  drm(6, 'drmfree', 'DRM-free', null, 'https://xsolla.com'),
  drm(7, 'gog', 'GOG', 'https://www.gog.com', 'https://support.gog.com'),
  drm(8, 'epicgames', 'Epic Games Store', 'https://store.epicgames.com', 'https://www.epicgames.com/help'),
  drm(9, 'nintendo_eshop', 'Nintendo eShop', null, 'https://www.nintendo.com/support'),
  drm(10, 'discord_game_store', 'Discord Game Store', null, 'https://support.discord.com'),
  drm(11, 'oculus', 'Oculus', null, 'https://www.meta.com/help/quest'),
  drm(12, 'rockstar', 'Rockstar', null, 'https://support.rockstargames.com'),
  drm(13, 'viveport', 'Viveport', null, 'https://www.viveport.com'),
  drm(14, 'stadia', 'Stadia', null, 'https://support.google.com/stadia'),
];

const BY_NAME = new Map<string, Drm>();
for (const d of DRMS) {
  BY_NAME.set(d.sku.toLowerCase(), d);
  BY_NAME.set(d.short, d);
}

/** The DRM named by its sku (`steam_key_1`) or short name (`steam`), case-insensitive; undefined when unknown. */
export function findDrm(name: string | null | undefined): Drm | undefined {
  return name ? BY_NAME.get(name.trim().toLowerCase()) : undefined;
}

/** True for the DRM-free platform (the only one whose codes can be redeemed or granted as entitlements). */
export const isDrmFree = (d: Drm | undefined) => d?.short === 'drmfree';

/** The get-drm-list view of one DRM. */
export const drmView = (d: Drm) => ({
  sku: d.sku,
  name: d.name,
  image: d.image,
  link: d.link,
  redeem_instruction_link: d.redeem_instruction_link,
  drm_id: d.drm_id,
});
