/** Moved to src/model/bundle-totals.ts (issue 14 §2: the item model and its pure rules are a leaf under src/model). */
export * from '../../model/bundle-totals.js';
