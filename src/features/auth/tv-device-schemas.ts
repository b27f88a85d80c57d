// TV screens' device tokens as the API and the admin screen see them (shared with the web app).
import { z } from 'zod';

/** the httpOnly cookie a wall screen holds its token in */
export const TV_COOKIE = 'qmfg_tv';

export const tvDeviceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** process-group keys the screen may show; [] = every group */
  groups: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.number(),
  revokedBy: z.string().nullable(),
  revokedAt: z.number().nullable(),
  lastSeenAt: z.number().nullable(),
});
export type TvDevice = z.infer<typeof tvDeviceSchema>;
export const tvDeviceCreatedSchema = tvDeviceSchema.extend({
  /** the token, shown this once */
  token: z.string(),
  /** the address a screen opens (relative to the app) */
  link: z.string(),
});
export const tvDeviceCreateSchema = z.object({
  name: z.string().trim().min(1, 'name the screen').max(120),
  groups: z.array(z.string().min(1).max(64)).max(100).default([]),
  reason: z.string().max(500).nullish(),
});
export type TvDeviceCreate = z.infer<typeof tvDeviceCreateSchema>;

