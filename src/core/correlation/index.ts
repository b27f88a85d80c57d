export * from './correlation.js';
export * from './lag.js';
export * from './describe.js';
export { normalCdf, normalQuantile, studentTQuantile, twoSidedNormalP } from './normal.js';
