/** Moved to src/model/schedule.ts (issue 14 §2: the item model and its pure rules are a leaf under src/model). */
export * from '../../model/schedule.js';
