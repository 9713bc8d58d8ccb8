/** Moved to src/model/item-views.ts (issue 14 §2: the item model and its pure rules are a leaf under src/model). */
export * from '../../model/item-views.js';
