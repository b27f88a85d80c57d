// The loss model (issue 13, DESIGN §4): loss categories, versioned reason trees, the waterfall from
// calendar time to fully productive time, the six big losses, TEEP and the two-level Pareto.
export * from './categories.js';
export * from './tree.js';
export * from './waterfall.js';
export * from './lot-change.js';
