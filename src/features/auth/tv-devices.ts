// TV device tokens (issue 12 item 3): a read-only principal for wall screens, so an andon view
// never depends on a person's session. Admins create one (the token is shown once, only its
// hash is stored) and revoke it; both are audited. A device may read the TV data and the live
// event stream of the process groups in its scope, nothing else (routes say `tvDevice: true`).
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import * as repo from './tv-device-repository.js';
import { parseLines, sha256 } from './sessions.js';
import type { tvDeviceCreatedSchema, TvDevice, TvDeviceCreate } from './tv-device-schemas.js';

export { TV_COOKIE } from './tv-device-schemas.js';
/** last-seen is written at most this often */
const TOUCH_MS = 60_000;

/** The device principal of a request made with a TV token. */
export interface TvPrincipal {
  id: number;
  name: string;
  groups: string[];
}

const view = (row: repo.TvDeviceRow): TvDevice => ({
  id: Number(row.id), name: row.name, groups: parseLines(row.groups), createdBy: row.created_by, createdAt: Number(row.created_at),
  revokedBy: row.revoked_by, revokedAt: row.revoked_at === null ? null : Number(row.revoked_at), lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
});
const auditView = (device: TvDevice) => ({ name: device.name, groups: device.groups, revokedAt: device.revokedAt });

export async function listTvDevices(db: Executor): Promise<TvDevice[]> {
  return (await repo.listTvDevices(db)).map(view);
}

export async function createTvDevice(db: Db, who: Who, input: TvDeviceCreate, now = Date.now()): Promise<z.infer<typeof tvDeviceCreatedSchema>> {
  const groups = [...new Set(input.groups)];
  for (const [index, key] of groups.entries()) {
    if (!(await plantRepo.getGroup(db, key))) throw Invalid.field(`body.groups[${index}]`, `unknown process group '${key}'`);
  }
  const token = randomBytes(24).toString('base64url');
  const device = await db.transaction().execute(async (trx) => {
    const row = await repo.insertTvDevice(trx, { name: input.name, token_hash: sha256(token), groups: JSON.stringify(groups), created_by: who.actor, created_at: now });
    const created = view(row);
    await appendAudit(trx, { ...who, reason: input.reason ?? who.reason, entity: 'tv-device', entityKey: String(created.id), action: 'create', before: null, after: auditView(created) }, now);
    return created;
  });
  const query = new URLSearchParams({ token });
  if (groups.length > 0) query.set('groups', groups.join(','));
  return { ...device, token, link: `/tv?${query.toString()}` };
}

export async function revokeTvDevice(db: Db, who: Who, id: number, now = Date.now()): Promise<TvDevice> {
  return db.transaction().execute(async (trx) => {
    const before = await repo.getTvDevice(trx, id);
    if (!before) throw new NotFound('TV screen', String(id));
    if (!(await repo.revokeTvDevice(trx, id, who.actor, now))) throw new Conflict(`TV screen '${before.name}' was revoked already`);
    const after = view((await repo.getTvDevice(trx, id))!);
    await appendAudit(trx, { ...who, entity: 'tv-device', entityKey: String(id), action: 'revoke', before: auditView(view(before)), after: auditView(after) }, now);
    return after;
  });
}

/** The device a token belongs to while it is not revoked, or null. */
export async function tvPrincipalOf(db: Db, token: string, now = Date.now()): Promise<TvPrincipal | null> {
  if (token.length < 16 || token.length > 100) return null;
  const row = await repo.tvDeviceByHash(db, sha256(token));
  if (!row || row.revoked_at !== null) return null;
  if (row.last_seen_at === null || now - Number(row.last_seen_at) > TOUCH_MS) await repo.touchTvDevice(db, Number(row.id), now);
  return { id: Number(row.id), name: row.name, groups: parseLines(row.groups) };
}
