export * from './reliability.js';
export * from './drift.js';
export * from './verdict.js';
