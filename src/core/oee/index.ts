// Public face of the OEE core. Start-up-sensitive callers (the `qmfg analyze` command) import
// oee.js and profiles.js directly to avoid loading zod through profile-schema.js.
export { computeOee, normalizeIntervals, OeeAccumulator, overlapMs } from './oee.js';
export type { Interval, OeeAccumulatorOptions, OeeCycle, OeeFinishOptions, OeeInput, OeeResult, StopClass } from './oee.js';
export { BUILTIN_PROFILES, isBuiltinProfileName, profileLabel } from './profiles.js';
export type { BuiltinProfileName, LoadingBasis, OeeProfile } from './profiles.js';
export { profileSchema } from './profile-schema.js';
export type { OeeProfileInput } from './profile-schema.js';
export { PartRegistry, identifiesStrip } from './rework.js';
export { shownFigures } from './shown-figures.js';
export { standardRateFor } from './standard-rate.js';
export { unitCounts, withUnitCounts, type UnitCounts } from './units.js';
export type { ShownFigures, ShownState } from './shown-figures.js';
