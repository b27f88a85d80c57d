// Validation of user-defined OEE profiles. Separate from profiles.ts so that code needing only the
// built-in profiles (the `qmfg analyze` start-up path) does not load zod.
import { z } from 'zod';
import type { OeeProfile } from './profiles.js';

const positiveSeconds = z.number().finite().positive();

export const profileSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-", starting with a letter or digit'),
    version: z.number().int().min(1),
    maxCycleSeconds: positiveSeconds,
    stopBinsSeconds: z.array(positiveSeconds).min(1),
    availabilityLossSeconds: positiveSeconds,
    basis: z.enum(['calendar', 'firstToLastPart']),
    idealRatePerMinute: z.number().finite().positive(),
  })
  .superRefine((profile, ctx) => {
    const bins = profile.stopBinsSeconds;
    for (let i = 1; i < bins.length; i++) {
      if (!(bins[i] > bins[i - 1])) {
        ctx.addIssue({
          code: 'custom',
          path: ['stopBinsSeconds', i],
          message: `stop bins must be strictly ascending: ${bins[i]} s follows ${bins[i - 1]} s`,
        });
      }
    }
    // Every stop (gap > maxCycleSeconds) must fall into a class, otherwise the class counts would
    // not add up to the stop count.
    if (bins.length > 0 && bins[0] > profile.maxCycleSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopBinsSeconds', 0],
        message: `the first stop bin (${bins[0]} s) must not exceed maxCycleSeconds (${profile.maxCycleSeconds} s), or short stops would fall in no class`,
      });
    }
  });

export type OeeProfileInput = z.input<typeof profileSchema>;

// Compile-time proof that a validated profile is an OeeProfile (the interface stays the one
// source the core is written against; the schema must not drift from it).
type Assert<T extends true> = T;
export type ProfileSchemaMatchesInterface = Assert<z.output<typeof profileSchema> extends OeeProfile ? (OeeProfile extends z.output<typeof profileSchema> ? true : false) : false>;
