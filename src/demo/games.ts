/**
 * The demo store's game (`games.json`): Xsollus Basic Edition with a Steam key and a DRM-free key (seed E's
 * example sku `xsollus_basic_edition_steam`), each with five codes, so a demo user can buy a key or redeem a
 * DRM-free code (redeem-game-pin-code) right away. The game is an admin-create-game body, checked against that
 * route's schema and written through GamesService like the admin API; the codes are uploaded the same way.
 */
import { Value } from 'typebox/value';
import { GameBody } from '../modules/games/schemas.js';
import type { GameInput, GamesService } from '../modules/games/service.js';
import demoGamesJson from './games.json' with { type: 'json' };
import { DEFAULT_DEMO_BASE_URL, withAbsoluteImage } from './images.js';

/** Shape of games.json: admin-create-game bodies, and the codes to upload per game key sku. */
export interface DemoGames {
  games: GameInput[];
  codes: Record<string, string[]>;
}

export const DEMO_GAMES = demoGamesJson as unknown as DemoGames;

/**
 * Creates the demo games in `projectId` and uploads their codes; returns the skus of the games created.
 * Runs after the currencies (the keys are also priced in gold). A picture given as a path (`/static/demo/…`) is made
 * absolute on `baseUrl` (seed.ts withAbsoluteImage).
 * @throws Error when games.json does not satisfy the admin schema; AppError from GamesService.
 */
export async function seedDemoGames(
  games: GamesService,
  projectId: number,
  data: DemoGames = DEMO_GAMES,
  baseUrl: string = DEFAULT_DEMO_BASE_URL,
): Promise<string[]> {
  const bodies = data.games.map((g, i) => {
    const body = Value.Default(GameBody, structuredClone(withAbsoluteImage(g, baseUrl)));
    if (!Value.Check(GameBody, body)) {
      const first = [...Value.Errors(GameBody, body)][0];
      throw new Error(`games.json games[${i}]: ${first?.instancePath ?? ''} ${first?.message ?? 'invalid'}`);
    }
    return body as GameInput;
  });
  const skus: string[] = [];
  for (const body of bodies) skus.push((await games.create(projectId, body)).sku);
  for (const [keySku, codes] of Object.entries(data.codes)) {
    await games.upload(projectId, { sku: keySku }, codes.join('\n'), null);
  }
  return skus;
}
