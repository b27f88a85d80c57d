// Plant model schemas: shared by the API (validation, OpenAPI) and the web app (forms, types).
import { z } from 'zod';
import { int32, int32FromText } from '../../core/limits.js';
import { ROLES } from '../../core/permissions.js';

export const roleSchema = z.enum(ROLES);

export const keySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use 1–40 lower-case letters, digits, - or _ (e.g. line7)');
const nameSchema = z.string().trim().min(1, 'required').max(120);
export const versionSchema = int32().min(1);
export const keyParams = z.object({ key: z.string().min(1).max(120) });
export const deleteQuery = z.object({ version: int32FromText().min(1).optional() });

export const siteSchema = z.object({
  name: z.string().trim().min(1).max(200),
  timezone: z.string(),
  defaultRateMode: z.enum(['standard', 'observed', 'recommended']),
  observedWindowHours: z.number().int().min(1).max(168),
  version: versionSchema,
  /** how the plant writes numbers (QMFG_LOCALE); absent = each browser's own language */
  locale: z.string().optional(),
});
export const siteUpdateSchema = siteSchema.omit({ timezone: true, locale: true }).partial().extend({ version: versionSchema });

export const processGroupSchema = z.object({
  key: keySchema,
  name: nameSchema,
  sortOrder: int32().default(0),
  version: versionSchema,
  machineCount: z.number().int().optional(),
});
export const processGroupCreateSchema = processGroupSchema.omit({ version: true, machineCount: true });
// Update schemas are built from fields WITHOUT defaults: a PATCH must leave what it omits unchanged.
export const processGroupUpdateSchema = z.object({ name: nameSchema, sortOrder: int32() }).partial().extend({ version: versionSchema });

/**
 * A product's changeover family (issue 15): a key like `flu`; on a product, null = the product is
 * its own family (its key). `*` is not a family: in a changeover rule it means any.
 */
export const familySchema = keySchema;

export const machineSchema = z.object({
  key: keySchema,
  name: nameSchema,
  group: keySchema,
  enabled: z.boolean().default(true),
  oeeProfile: z.string().trim().min(1).max(64).default('itrak-legacy'),
  dataFolder: z.string().trim().max(500).nullable().default(null),
  sortOrder: int32().default(0),
  /** family the machine last ran as the planner set it (PUT …/last-family); null = unknown */
  lastFamily: z.string().nullable().default(null),
  version: versionSchema,
});
export const machineCreateSchema = machineSchema.omit({ version: true, lastFamily: true });
export const machineUpdateSchema = z
  .object({
    name: nameSchema,
    group: keySchema,
    enabled: z.boolean(),
    oeeProfile: z.string().trim().min(1).max(64),
    dataFolder: z.string().trim().max(500).nullable(),
    sortOrder: int32(),
  })
  .partial()
  .extend({ version: versionSchema });

export const gateSchema = z.object({
  name: z.string().trim().min(1).max(120),
  hours: z.number().min(0).max(24 * 60),
  role: roleSchema,
});
export const routingStepSchema = z.object({
  group: keySchema,
  ratePerHour: z.number().positive('must be > 0').max(1_000_000),
  setupMinutes: z.number().min(0).max(24 * 60).default(0),
  gate: gateSchema.nullable().default(null),
});
export const productSchema = z.object({
  key: keySchema,
  name: nameSchema,
  shortName: z.string().trim().min(1, 'required').max(40),
  itemNumber: z.string().regex(/^\d{7}$/, 'must be exactly 7 digits (e.g. 1330700)'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f77b4'),
  /** changeover family; null (or absent) = the product is its own family */
  family: familySchema.nullable().optional(),
  routing: z.array(routingStepSchema).min(1, 'a product needs at least one routing step').max(20),
  version: versionSchema,
});
export const productCreateSchema = productSchema.omit({ version: true });
export const productUpdateSchema = productCreateSchema.omit({ key: true }).partial().extend({ version: versionSchema });

// ---- changeover matrix of a process group (issue 15)
/** a family or `*` (any) in a changeover rule */
export const ruleFamilySchema = z.string().trim().min(1, 'required').max(40);
/** the longest changeover a rule may ask for: a week */
export const MAX_CHANGEOVER_MINUTES = 7 * 24 * 60;
export const changeoverRuleSchema = z.object({
  from: ruleFamilySchema,
  to: ruleFamilySchema,
  minutes: z.number().min(0, 'must be ≥ 0').max(MAX_CHANGEOVER_MINUTES, `must be at most ${MAX_CHANGEOVER_MINUTES} (7 days)`),
});
export const changeoverMatrixSchema = z.object({
  group: z.string(),
  /** the matrix's version: a PUT names the one it edited */
  version: versionSchema,
  rules: z.array(changeoverRuleSchema),
  /** the families products have (a product without one is its own), which rules may name besides `*` */
  families: z.array(z.string()),
});
export const changeoverMatrixUpdateSchema = z.object({
  version: versionSchema,
  rules: z.array(changeoverRuleSchema).max(500),
});
/** PUT /api/machines/:key/last-family: what the machine ran last (null = unknown), for its first job's changeover */
export const lastFamilyUpdateSchema = z.object({
  family: familySchema.nullable(),
  version: versionSchema.optional(),
});

export type Site = z.infer<typeof siteSchema>;
export type ProcessGroup = z.infer<typeof processGroupSchema>;
export type ProcessGroupCreate = z.infer<typeof processGroupCreateSchema>;
export type ProcessGroupUpdate = z.infer<typeof processGroupUpdateSchema>;
export type Machine = z.infer<typeof machineSchema>;
export type MachineCreate = z.infer<typeof machineCreateSchema>;
export type MachineUpdate = z.infer<typeof machineUpdateSchema>;
export type RoutingStep = z.infer<typeof routingStepSchema>;
export type Product = z.infer<typeof productSchema>;
export type ProductCreate = z.infer<typeof productCreateSchema>;
export type ProductUpdate = z.infer<typeof productUpdateSchema>;
export type Role = z.infer<typeof roleSchema>;
export type ChangeoverRuleInput = z.infer<typeof changeoverRuleSchema>;
export type ChangeoverMatrix = z.infer<typeof changeoverMatrixSchema>;
export type ChangeoverMatrixUpdate = z.infer<typeof changeoverMatrixUpdateSchema>;
export type LastFamilyUpdate = z.infer<typeof lastFamilyUpdateSchema>;

/** Planned downtime of one machine while the site works (maintenance; a published what-if "line down"). */
export const downtimeSchema = z.object({
  id: z.number().int(),
  machine: z.string(),
  start: z.number(),
  end: z.number(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.number(),
});
/** POST /api/machines/:key/downtime: instants with their offset, so no one guesses the zone */
export const downtimeCreateSchema = z.object({
  from: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with its offset, e.g. 2026-12-07T06:00:00-08:00' }),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO date-time with its offset, e.g. 2026-12-07T22:00:00-08:00' }),
  reason: z.string().trim().min(1, 'say why the machine is down (the board and the audit trail show it)').max(500),
});
export const downtimeParams = z.object({ key: z.string().min(1).max(120), id: int32FromText().min(1) });
export type Downtime = z.infer<typeof downtimeSchema>;
export type DowntimeCreate = z.infer<typeof downtimeCreateSchema>;
