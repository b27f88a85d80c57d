// Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200): a signer who re-entered their
// password gives a meaning; the signature is recorded in the transaction of the change, bound to the
// exact content of the record at that moment (its hash) and linked to the change's audit entry. A
// record edited afterwards no longer matches, and its signatures show as no longer valid.
import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../../db/database.js';
import { setSignatureRecorder } from '../audit/repository.js';
import type { SignatureIntent } from '../audit/who.js';
import * as calendarRepo from '../calendar/repository.js';
import * as ordersRepo from '../orders/repository.js';
import * as oeeRepo from '../oee/repository.js';
import * as repo from './repository.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning, type SignatureView } from './schemas.js';

/** The signed content of one record: its version (when it has one) and what it says. */
export interface SignedContent {
  version: number | null;
  content: unknown;
}

type ContentReader = (db: Executor, key: string) => Promise<SignedContent | undefined>;

const operationContent = (op: ordersRepo.OperationRow) => ({
  step: op.step,
  state: op.state,
  machine: op.machine_key,
  produced: op.produced,
  good: op.good,
  scrap: op.scrap,
  actualStart: op.actual_start,
  actualEnd: op.actual_end,
});

/**
 * What is signed, per kind of record. Forecasts are left out on purpose: the planner rewrites them
 * after every change anywhere in the plant, which does not change what was signed.
 */
const SUBJECTS: Record<string, ContentReader> = {
  calendar: async (db, key) => {
    const week = await calendarRepo.getWeek(db, key);
    return week && { version: week.version, content: { week: week.week, days: week.days } };
  },
  'oee-profile': async (db, key) => {
    const stored = await oeeRepo.getProfile(db, key);
    return stored && { version: stored.profile.version, content: stored.profile };
  },
  'work-order': async (db, lot) => {
    const wo = await ordersRepo.getWorkOrder(db, lot);
    if (!wo) return undefined;
    const ops = await ordersRepo.listOperations(db, [lot]);
    return {
      version: wo.version,
      content: {
        lot: wo.lot, product: wo.product_key, quantity: wo.quantity, due: wo.due, priority: wo.priority, notes: wo.notes, rateMode: wo.rate_mode,
        operations: ops.map(operationContent),
      },
    };
  },
  /** the gate after one operation ("lot/step"): signs that operation's result */
  'operation-gate': async (db, key) => {
    const slash = key.lastIndexOf('/');
    const lot = key.slice(0, slash);
    const step = Number(key.slice(slash + 1));
    const wo = await ordersRepo.getWorkOrder(db, lot);
    const op = (await ordersRepo.listOperations(db, [lot])).find((o) => o.step === step);
    return wo && op && { version: null, content: { lot, product: wo.product_key, quantity: wo.quantity, operation: operationContent(op) } };
  },
};

export function isSignableEntity(entity: string): boolean {
  return entity in SUBJECTS;
}

/** JSON with object keys sorted, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function readSignedContent(db: Executor, entity: string, key: string): Promise<{ version: number | null; hash: string } | undefined> {
  const reader = SUBJECTS[entity];
  if (!reader) throw new Error(`'${entity}' records cannot be signed (no content reader)`);
  const content = await reader(db, key);
  return content && { version: content.version, hash: sha256(canonicalJson(content.content)) };
}

/** Seals a signature row: any edit of who, when, meaning or binding breaks it. */
export function signatureRowHash(row: Omit<repo.SignatureRow, 'id' | 'hash'>): string {
  return sha256(
    JSON.stringify([
      row.entity, row.entity_key, row.action, row.record_version, row.content_hash, row.meaning, row.user_id, row.username, row.printed_name,
      row.role, row.signed_at, row.audit_hash,
    ]),
  );
}

/** Writes the signature of a change; called by appendAudit inside the change's transaction. */
export async function recordSignature(
  trx: Tx,
  intent: SignatureIntent,
  entry: { entity: string; entityKey: string; action: string; at: number; auditHash: string },
): Promise<number> {
  const subject = intent.subject ?? { entity: entry.entity, key: entry.entityKey };
  const signed = await readSignedContent(trx, subject.entity, subject.key);
  if (!signed) throw new Error(`cannot sign ${subject.entity} '${subject.key}': the record does not exist`);
  const row = {
    entity: subject.entity,
    entity_key: subject.key,
    action: entry.action,
    record_version: signed.version,
    content_hash: signed.hash,
    meaning: intent.meaning,
    user_id: intent.userId,
    username: intent.username,
    printed_name: intent.printedName,
    role: intent.role,
    signed_at: entry.at,
    audit_hash: entry.auditHash,
  };
  const inserted = await repo.insertSignature(trx, { ...row, hash: signatureRowHash(row) });
  return inserted.id;
}

setSignatureRecorder(recordSignature);

const meaningOf = (m: string): SignatureMeaning => ((SIGNATURE_MEANINGS as readonly string[]).includes(m) ? (m as SignatureMeaning) : 'approved');

/** Signature rows as shown to people, each checked against the record as it is now. */
export async function viewSignatures(db: Executor, rows: repo.SignatureRow[]): Promise<SignatureView[]> {
  const current = new Map<string, Awaited<ReturnType<typeof readSignedContent>>>();
  const views: SignatureView[] = [];
  for (const row of rows) {
    const subjectKey = `${row.entity}\u0000${row.entity_key}`;
    if (!current.has(subjectKey)) current.set(subjectKey, isSignableEntity(row.entity) ? await readSignedContent(db, row.entity, row.entity_key) : undefined);
    const now = current.get(subjectKey);
    const { id: _id, hash, ...sealed } = row;
    let invalidReason: string | null = null;
    if (signatureRowHash(sealed) !== hash) invalidReason = 'the signature record has been altered';
    else if (!now) invalidReason = 'the signed record no longer exists';
    else if (now.hash !== row.content_hash) {
      invalidReason =
        now.version !== null && row.record_version !== null && now.version !== row.record_version
          ? `the record was changed after signing (signed version ${row.record_version}, now version ${now.version})`
          : 'the record was changed after signing';
    }
    views.push({
      id: row.id,
      entity: row.entity,
      entityKey: row.entity_key,
      action: row.action,
      meaning: meaningOf(row.meaning),
      printedName: row.printed_name,
      username: row.username,
      role: row.role,
      signedAt: new Date(row.signed_at).toISOString(),
      recordVersion: row.record_version,
      valid: invalidReason === null,
      invalidReason,
    });
  }
  return views;
}

export async function signaturesOf(db: Executor, entity: string, keys: string[]): Promise<SignatureView[]> {
  return viewSignatures(db, await repo.listSignatures(db, { entity, entityKeys: keys }));
}

/** "Approved by Jane Doe (quality) 2026-11-25 14:03 UTC — valid": the manifestation for exports. */
export function manifestation(s: SignatureView): string {
  const when = s.signedAt.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC');
  return `${s.meaning} by ${s.printedName} (${s.username}, ${s.role}) at ${when} for ${s.action}${s.valid ? '' : ` — NO LONGER VALID: ${s.invalidReason}`}`;
}
