// OEE profiles: the named parameter sets that turn raw cycles into availability, performance and
// quality (DESIGN §4). Kept free of zod so that `qmfg analyze` can load the built-in profiles
// without paying zod's start-up cost; the schema for user-defined profiles is in profile-schema.ts.

export type LoadingBasis = 'calendar' | 'firstToLastPart';

export interface OeeProfile {
  name: string;
  version: number;
  /** a gap between consecutive cycles longer than this is a stop */
  maxCycleSeconds: number;
  /** ascending lower bounds of the stop duration classes; the last class is open-ended */
  stopBinsSeconds: number[];
  /** stops lasting at least this long are availability losses; shorter ones are speed losses */
  availabilityLossSeconds: number;
  basis: LoadingBasis;
  /** nameplate rate the performance ratio is measured against */
  idealRatePerMinute: number;
}

export type BuiltinProfileName = 'itrak-legacy' | 'iso22400';

export const BUILTIN_PROFILES: Readonly<Record<BuiltinProfileName, Readonly<OeeProfile>>> = Object.freeze({
  // Reproduces the analysis of the original system, parameters as it used them.
  'itrak-legacy': Object.freeze({
    name: 'itrak-legacy',
    version: 1,
    maxCycleSeconds: 1.1,
    stopBinsSeconds: Object.freeze([1.1, 12, 60, 300]) as number[],
    availabilityLossSeconds: 60,
    basis: 'firstToLastPart',
    idealRatePerMinute: 140,
  }),
  // ISO 22400-2 reading of the same machine:
  // - basis calendar: availability is measured against the planned busy time of the production
  //   calendar (ISO's PBT), so a line idling through a planned shift is a loss rather than being
  //   cut away as firstToLastPart does.
  // - maxCycleSeconds 1.1: the same physical threshold as the legacy profile; it is ~2.5× the ideal
  //   cycle of 0.43 s (140/min), so one or two missed pockets are not yet a stop but a real
  //   interruption is.
  // - availabilityLossSeconds = maxCycleSeconds: ISO 22400 defines availability as actual
  //   production time / planned busy time, where actual production time is only the time the unit
  //   is producing. Every detected interruption is therefore downtime, and performance is left to
  //   measure the speed while running (there is no "minor stop" threshold in the standard).
  // - bins add a 30-minute class to separate breaks and shift changes from ordinary stoppages.
  // - idealRatePerMinute 140: the nameplate rate of the iTrak poucher.
  iso22400: Object.freeze({
    name: 'iso22400',
    version: 1,
    maxCycleSeconds: 1.1,
    stopBinsSeconds: Object.freeze([1.1, 12, 60, 300, 1800]) as number[],
    availabilityLossSeconds: 1.1,
    basis: 'calendar',
    idealRatePerMinute: 140,
  }),
});

export function isBuiltinProfileName(name: string): name is BuiltinProfileName {
  return Object.prototype.hasOwnProperty.call(BUILTIN_PROFILES, name);
}

/** "<name>@v<version>": how results name the profile that produced them. */
export function profileLabel(profile: Pick<OeeProfile, 'name' | 'version'>): string {
  return `${profile.name}@v${profile.version}`;
}

/** How the screens name the built-in profiles (a user-defined profile is shown by its name). */
const BUILTIN_DISPLAY_NAMES: Readonly<Record<BuiltinProfileName, string>> = Object.freeze({
  'itrak-legacy': 'iTrak (legacy analysis)',
  iso22400: 'ISO 22400 (production calendar)',
});

/** A profile's name for people: "iTrak (legacy analysis)" for itrak-legacy, the name itself otherwise. */
export function profileDisplayName(name: string): string {
  return isBuiltinProfileName(name) ? BUILTIN_DISPLAY_NAMES[name] : name;
}
