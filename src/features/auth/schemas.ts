// Auth schemas: shared by the API (validation, OpenAPI) and the web app (sign-in, users, signatures).
import { z } from 'zod';
import { ROLES } from '../../core/permissions.js';
import { PERMISSIONS } from '../../core/permissions.js';
import { int32, int32FromText } from '../../core/limits.js';

export const roleSchema = z.enum(ROLES);

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,119}$/, 'use 2–120 letters, digits, . _ @ or - (e.g. jane.doe)');

/** The password as typed: length limits only; the rules are checked by the service (they need the config). */
export const passwordInput = z.string().min(1, 'required').max(256, 'at most 256 characters');

export const loginBodySchema = z.object({
  username: z.string().trim().min(1, 'required').max(120),
  password: passwordInput,
});

/** Meanings a signer can choose (21 CFR Part 11 §11.50(a)(3)). */
export const SIGNATURE_MEANINGS = ['approved', 'reviewed', 'released', 'verified', 'performed', 'responsible'] as const;
export const signatureMeaningSchema = z.enum(SIGNATURE_MEANINGS);
export const SIGNATURE_MEANING_LABELS: Record<(typeof SIGNATURE_MEANINGS)[number], string> = {
  approved: 'Approved',
  reviewed: 'Reviewed',
  released: 'Released',
  verified: 'Verified',
  performed: 'Performed by',
  responsible: 'Responsible',
};

/** What a signer sends with a regulated change: their password again and what the signature means. */
export const signatureInputSchema = z.object({
  password: passwordInput,
  meaning: signatureMeaningSchema,
});

export const sessionUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  lines: z.array(z.string()),
  method: z.enum(['password', 'oidc', 'pin']),
  mustChangePassword: z.boolean(),
  hasPassword: z.boolean(),
});

export const meSchema = z.object({
  user: sessionUserSchema,
  permissions: z.array(z.enum(PERMISSIONS)),
  /** idle timeout of this session in seconds; null = none (exempt role) */
  idleSeconds: z.number().nullable(),
  /** absolute end of this session */
  expiresAt: z.string(),
  /** send it back as the x-csrf-token header with every changing request (it is also in the qmfg_csrf cookie) */
  csrfToken: z.string().optional(),
});

/** Whether the browser asking is signed in (GET /api/auth/session). */
export const sessionStateSchema = z.object({ me: meSchema.nullable() });

export const authConfigSchema = z.object({
  sso: z.boolean(),
  /** quick sign-in with user name + PIN is offered (QMFG_PIN_ROLES is not empty) */
  pin: z.boolean(),
  passwordMinLength: z.number(),
  idleMinutes: z.number(),
});

/** Quick sign-in at a line terminal: user name and a PIN of 4–8 digits. */
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
export const pinLoginSchema = z.object({ username: z.string().trim().min(1, 'required').max(120), pin: pinSchema });
/** Setting one's own PIN needs the password (the PIN is a second, weaker way in). null removes it. */
export const pinSetSchema = z.object({ currentPassword: passwordInput, pin: pinSchema.nullable() });

export const passwordChangeSchema = z.object({
  currentPassword: passwordInput,
  newPassword: passwordInput,
});

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  lines: z.array(z.string()),
  active: z.boolean(),
  sso: z.boolean(),
  hasPassword: z.boolean(),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const displayNameSchema = z.string().trim().min(1, 'required').max(200);
const emailSchema = z.string().trim().email('not an e-mail address').max(200).nullable();
const linesSchema = z.array(z.string().trim().min(1).max(64)).max(100);

export const userCreateSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  email: emailSchema.default(null),
  role: roleSchema,
  lines: linesSchema.default([]),
  /** initial password; the user must change it at the first sign-in */
  password: passwordInput,
  reason: z.string().max(500).optional(),
});

export const userUpdateSchema = z.object({
  displayName: displayNameSchema.optional(),
  email: emailSchema.optional(),
  role: roleSchema.optional(),
  lines: linesSchema.optional(),
  active: z.boolean().optional(),
  /** true clears a lock-out */
  unlock: z.literal(true).optional(),
  version: int32().min(1),
  reason: z.string().max(500).optional(),
});

export const passwordResetSchema = z.object({
  password: passwordInput,
  reason: z.string().max(500).optional(),
});

export const userIdParams = z.object({ id: int32FromText().min(1) });

export const signatureViewSchema = z.object({
  id: z.number(),
  entity: z.string(),
  entityKey: z.string(),
  action: z.string(),
  meaning: signatureMeaningSchema,
  printedName: z.string(),
  username: z.string(),
  role: z.string(),
  signedAt: z.string(),
  recordVersion: z.number().nullable(),
  /** the record is still exactly the version that was signed, and the signature row is intact */
  valid: z.boolean(),
  /** why it is no longer valid */
  invalidReason: z.string().nullable(),
});

export const signatureQuery = z.object({
  entity: z.string().min(1).max(40),
  key: z.string().min(1).max(120),
});

export type LoginBody = z.infer<typeof loginBodySchema>;
export type SignatureInput = z.infer<typeof signatureInputSchema>;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];
export type SessionUser = z.infer<typeof sessionUserSchema>;
export type Me = z.infer<typeof meSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type User = z.infer<typeof userSchema>;
export type UserCreate = z.infer<typeof userCreateSchema>;
export type UserUpdate = z.infer<typeof userUpdateSchema>;
export type SignatureView = z.infer<typeof signatureViewSchema>;
