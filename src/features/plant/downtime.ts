// Planned downtime of a machine (issue 15): a machine down while the site works — maintenance
// planned on the board, or a what-if "line down" published into the live plan. The plan takes it out
// of the machine's working time; the board draws it on the machine's lane. Adding and removing are
// audited on the machine's record.
import type { Db } from '../../db/database.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { MS_PER_DAY } from '../../core/time.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as repo from './repository.js';
import type { Downtime, DowntimeCreate } from './schemas.js';

/** longer than this is not downtime but a machine taken out of service (disable it instead) */
const MAX_DOWNTIME_MS = 366 * MS_PER_DAY;

export async function listDowntime(db: Db, machine: string, after?: number): Promise<Downtime[]> {
  if (!(await repo.getMachine(db, machine))) throw new NotFound('machine', machine);
  return (await repo.listMachineDowntime(db, after)).filter((d) => d.machine === machine);
}

export async function addDowntime(db: Db, who: Who, machine: string, input: DowntimeCreate, now = Date.now()): Promise<Downtime> {
  const start = Date.parse(input.from);
  const end = Date.parse(input.to);
  if (end <= start) throw Invalid.field('body.to', 'must be after from');
  if (end - start > MAX_DOWNTIME_MS) throw Invalid.field('body.to', 'a machine can be down for at most a year at a time; disable it instead');
  if (end <= now) throw Invalid.field('body.to', 'is in the past: downtime before now changes no plan');
  return db.transaction().execute(async (trx) => {
    if (!(await repo.getMachine(trx, machine))) throw new NotFound('machine', machine);
    const row = { machine, start, end, reason: input.reason, createdBy: who.actor, createdAt: now };
    const created: Downtime = { id: await repo.insertMachineDowntime(trx, row), ...row };
    await appendAudit(trx, {
      ...who, reason: input.reason, entity: 'machine', entityKey: machine, action: 'downtime-add',
      before: null, after: { downtime: created.id, from: new Date(start).toISOString(), to: new Date(end).toISOString(), reason: input.reason },
    }, now);
    return created;
  });
}

export async function removeDowntime(db: Db, who: Who, machine: string, id: number, now = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const found = (await repo.listMachineDowntime(trx)).find((d) => d.id === id && d.machine === machine);
    if (!found) throw new NotFound('downtime', `${machine}/${id}`);
    await repo.deleteMachineDowntime(trx, id);
    await appendAudit(trx, {
      ...who, entity: 'machine', entityKey: machine, action: 'downtime-remove',
      before: { downtime: id, from: new Date(found.start).toISOString(), to: new Date(found.end).toISOString(), reason: found.reason }, after: null,
    }, now);
  });
}
