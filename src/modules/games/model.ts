/** Moved to src/model/game.ts (issue 14 §2: the item model and its pure rules are a leaf under src/model). */
export * from '../../model/game.js';
