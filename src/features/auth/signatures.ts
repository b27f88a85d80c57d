// Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200): a signer who re-entered their
// password gives a meaning; the signature is recorded in the transaction of the change, bound to the
// exact content of the record at that moment (its hash) and linked to the change's audit entry. A
// record edited afterwards no longer matches, and its signatures show as no longer valid.
import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../../db/database.js';
import type { SignatureIntent, SignatureRecorder } from '../audit/who.js';
import * as repo from './repository.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning, type SignatureView } from './schemas.js';

/** The signed content of one record: its version (when it has one) and what it says. */
export interface SignedContent {
  version: number | null;
  content: unknown;
}

/** Reads the signed content of one record of a kind, or undefined when the record does not exist. */
export type ContentReader = (db: Executor, key: string) => Promise<SignedContent | undefined>;

/**
 * What is signed, per kind of record: each feature that owns signable records says what of them is
 * signed (orders: work orders and gates, calendar: weeks, oee: profiles), and server/app.ts puts the
 * readers together. Auth is below those features, so it is given them rather than importing them.
 */
export type SignedContentReaders = Readonly<Record<string, ContentReader>>;

export function isSignableEntity(readers: SignedContentReaders, entity: string): boolean {
  return Object.hasOwn(readers, entity);
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

export async function readSignedContent(readers: SignedContentReaders, db: Executor, entity: string, key: string): Promise<{ version: number | null; hash: string } | undefined> {
  const reader = isSignableEntity(readers, entity) ? readers[entity] : undefined;
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

/** The recorder a signature intent carries: appendAudit calls it inside the change's transaction. */
export function signatureRecorder(readers: SignedContentReaders): SignatureRecorder {
  return (trx, intent, entry) => recordSignature(readers, trx, intent, entry);
}

/** Writes the signature of a change, bound to the record's content as it is in the transaction. */
async function recordSignature(
  readers: SignedContentReaders,
  trx: Tx,
  intent: SignatureIntent,
  entry: { entity: string; entityKey: string; action: string; at: number; auditHash: string },
): Promise<number> {
  const subject = intent.subject ?? { entity: entry.entity, key: entry.entityKey };
  const signed = await readSignedContent(readers, trx, subject.entity, subject.key);
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

const meaningOf = (m: string): SignatureMeaning => ((SIGNATURE_MEANINGS as readonly string[]).includes(m) ? (m as SignatureMeaning) : 'approved');

/** Signature rows as shown to people, each checked against the record as it is now. */
export async function viewSignatures(readers: SignedContentReaders, db: Executor, rows: repo.SignatureRow[]): Promise<SignatureView[]> {
  const current = new Map<string, Awaited<ReturnType<typeof readSignedContent>>>();
  const views: SignatureView[] = [];
  for (const row of rows) {
    const subjectKey = `${row.entity}\u0000${row.entity_key}`;
    if (!current.has(subjectKey)) current.set(subjectKey, isSignableEntity(readers, row.entity) ? await readSignedContent(readers, db, row.entity, row.entity_key) : undefined);
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

export async function signaturesOf(readers: SignedContentReaders, db: Executor, entity: string, keys: string[]): Promise<SignatureView[]> {
  return viewSignatures(readers, db, await repo.listSignatures(db, { entity, entityKeys: keys }));
}

/** "Approved by Jane Doe (quality) 2026-11-25 14:03 UTC — valid": the manifestation for exports. */
export function manifestation(s: SignatureView): string {
  const when = s.signedAt.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC');
  return `${s.meaning} by ${s.printedName} (${s.username}, ${s.role}) at ${when} for ${s.action}${s.valid ? '' : ` — NO LONGER VALID: ${s.invalidReason}`}`;
}
