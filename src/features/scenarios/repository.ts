// The only place with SQL for what-if scenarios (table plan_scenarios).
import type { Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/transaction.js';
import type { PlanScenarioTable } from '../../db/tables/scenarios.js';
import type { StoredEdit } from './schemas.js';

export interface ScenarioRow {
  id: number;
  name: string;
  notes: string;
  createdBy: string;
  createdAt: number;
  basis: string;
  basisAt: number;
  /** machine (or the parking lot) → fingerprint of its queue at the copy */
  basisQueues: Record<string, string>;
  edits: StoredEdit[];
  version: number;
  state: PlanScenarioTable['state'];
  publishedAt: number | null;
  publishedBy: string | null;
}

type Row = Omit<PlanScenarioTable, 'id'> & { id: number | string };

const toScenario = (r: Row): ScenarioRow => ({
  id: Number(r.id),
  name: r.name,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  basis: r.basis,
  basisAt: Number(r.basis_at),
  basisQueues: JSON.parse(r.basis_queues) as Record<string, string>,
  edits: JSON.parse(r.edits) as StoredEdit[],
  version: Number(r.version),
  state: r.state,
  publishedAt: r.published_at === null ? null : Number(r.published_at),
  publishedBy: r.published_by,
});

export async function listScenarios(db: Executor): Promise<ScenarioRow[]> {
  const rows = await db.selectFrom('plan_scenarios').selectAll().orderBy('id', 'desc').execute();
  return rows.map(toScenario);
}

export async function getScenario(db: Executor, id: number): Promise<ScenarioRow | undefined> {
  const row = await db.selectFrom('plan_scenarios').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toScenario(row);
}

export async function insertScenario(
  db: Executor,
  s: Pick<ScenarioRow, 'name' | 'notes' | 'createdBy' | 'basis' | 'basisAt' | 'basisQueues' | 'edits'>,
  now: number,
): Promise<number> {
  const values = {
    name: s.name,
    notes: s.notes,
    created_by: s.createdBy,
    created_at: now,
    basis: s.basis,
    basis_at: s.basisAt,
    basis_queues: JSON.stringify(s.basisQueues),
    edits: JSON.stringify(s.edits),
    version: 1,
    state: 'open' as const,
    published_at: null,
    published_by: null,
    updated_at: now,
  };
  if (dialectOf(db) === 'postgres') return Number((await db.insertInto('plan_scenarios').values(values).returning('id').executeTakeFirstOrThrow()).id);
  return Number((await db.insertInto('plan_scenarios').values(values).executeTakeFirstOrThrow()).insertId);
}

/** Writes the changed fields and the next version, when the row is still at `expectedVersion`. */
export async function updateScenario(
  db: Executor,
  id: number,
  expectedVersion: number,
  changes: Partial<Pick<ScenarioRow, 'name' | 'notes' | 'edits' | 'state' | 'publishedAt' | 'publishedBy'>>,
  now: number,
): Promise<boolean> {
  const set: Updateable<PlanScenarioTable> = { version: expectedVersion + 1, updated_at: now };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.notes !== undefined) set.notes = changes.notes;
  if (changes.edits !== undefined) set.edits = JSON.stringify(changes.edits);
  if (changes.state !== undefined) set.state = changes.state;
  if (changes.publishedAt !== undefined) set.published_at = changes.publishedAt;
  if (changes.publishedBy !== undefined) set.published_by = changes.publishedBy;
  const result = await db.updateTable('plan_scenarios').set(set).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
