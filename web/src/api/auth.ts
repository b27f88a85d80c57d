// Endpoints of signing in, users, signatures and the audit trail, typed by the server's schemas.
import { z } from 'zod';
import {
  authConfigSchema, meSchema, sessionStateSchema, signatureViewSchema, userSchema, type SignatureInput, type UserCreate, type UserUpdate,
} from '../../../src/features/auth/schemas.js';
import { workOrderSchema } from '../../../src/features/orders/schemas.js';
import { calendarSchema } from '../../../src/features/calendar/schemas.js';
import type { WeekPattern } from '../../../src/core/calendar/index.js';
import { requestJson, requestVoid } from './client.js';

export const getSession = () => requestJson('GET', '/api/auth/session', sessionStateSchema);
export const getAuthConfig = () => requestJson('GET', '/api/auth/config', authConfigSchema);
export const getMe = () => requestJson('GET', '/api/auth/me', meSchema);
export const login = (username: string, password: string) => requestJson('POST', '/api/auth/login', meSchema, { username, password });
export const pinLogin = (username: string, pin: string) => requestJson('POST', '/api/auth/pin-login', meSchema, { username, pin });
export const setOwnPin = (currentPassword: string, pin: string | null) => requestVoid('PUT', '/api/auth/pin', { currentPassword, pin });
export const logout = () => requestVoid('POST', '/api/auth/logout');
export const logoutEverywhere = () => requestJson('POST', '/api/auth/logout-all', z.object({ sessionsEnded: z.number() }));
export const changePassword = (currentPassword: string, newPassword: string) => requestVoid('POST', '/api/auth/password', { currentPassword, newPassword });

export const listUsers = () => requestJson('GET', '/api/users', z.array(userSchema));
export const createUser = (input: UserCreate) => requestJson('POST', '/api/users', userSchema, input);
export const updateUser = (id: number, patch: UserUpdate) => requestJson('PATCH', `/api/users/${id}`, userSchema, patch);
export const resetUserPassword = (id: number, password: string) => requestJson('POST', `/api/users/${id}/password`, userSchema, { password });

export const getSignatures = (entity: string, key: string) =>
  requestJson('GET', `/api/signatures?${new URLSearchParams({ entity, key })}`, z.array(signatureViewSchema));

// ---- signed actions

// the lot's sign-offs and passing a gate (with its audit-trail review): api/release-review.ts
export const closeWorkOrder = (lot: string, version: number, signature: SignatureInput, reason?: string) =>
  requestJson('POST', `/api/work-orders/${encodeURIComponent(lot)}/close`, workOrderSchema, { version, signature, reason });
/** "Every week", signed: a regulated change of the production calendar. */
export const updateDefaultWeekSigned = (days: WeekPattern, version: number, signature: SignatureInput, reason?: string) =>
  requestJson('PUT', '/api/calendar/default', calendarSchema, { days, version, signature, reason });
