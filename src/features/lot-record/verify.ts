// Checking a lot-record export: does the file still say what was exported (its content hashes to the
// hash it states), and does the database still hold that record (assembled again, the same hash)?
// The JSON export carries its content, so both are checked; a PDF carries the hash (info dictionary)
// but not the content, so it is checked against the database only.
import { NotFound } from '../../core/errors.js';
import { canonicalJson } from '../auth/signatures.js';
import { assembleLotRecord, contentHash, type RecordContext } from './assemble.js';
import { pdfStatedHash } from './pdf.js';
import { lotRecordExportSchema, type LotRecordContent } from './schemas.js';

export interface VerifyResult {
  ok: boolean;
  /** one line: what was found */
  message: string;
}

/** What a file states: its lot, hash, when it was made, and (JSON) its content. */
export interface StatedRecord {
  kind: 'json' | 'pdf';
  lot: string;
  zone: string | null;
  hash: string;
  generatedAt: string | null;
  content: LotRecordContent | null;
}

const pdfInfo = (pdf: Buffer, key: string): string | null => {
  const text = pdf.toString('latin1');
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(text);
  if (!ref) return null;
  const object = new RegExp(`(?:^|[\\r\\n])${ref[1]} 0 obj\\s*\\(((?:[^()\\\\]|\\\\.)*)\\)\\s*endobj`).exec(text);
  return object ? object[1].replace(/\\(.)/g, '$1') : null;
};

/** Reads a lot-record file (JSON export or PDF); a file that is neither says so. */
export function readStatedRecord(file: Buffer): StatedRecord | { error: string } {
  if (file.subarray(0, 5).toString('latin1') === '%PDF-') {
    const hash = pdfStatedHash(file);
    const lot = pdfInfo(file, 'Lot');
    if (!hash || !lot) return { error: 'the PDF has no lot-record content hash in its metadata (not a qmfg lot record, or the metadata was removed)' };
    return { kind: 'pdf', lot, zone: pdfInfo(file, 'Zone'), hash, generatedAt: pdfInfo(file, 'GeneratedAt'), content: null };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString('utf8'));
  } catch (error) {
    return { error: `the file was altered or is not a lot-record export: it is not valid JSON (${(error as Error).message})` };
  }
  const checked = lotRecordExportSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { error: `the file was altered or is not a lot-record export: ${issue.path.join('.') || 'the document'}: ${issue.message}` };
  }
  const { content, contentHash: hash, generatedAt } = checked.data;
  return { kind: 'json', lot: content.lot, zone: content.zone, hash, generatedAt, content };
}

/** Which sections differ between two contents (to say what changed). */
function changedSections(before: LotRecordContent, now: LotRecordContent): string[] {
  const titles = new Set([...before.sections, ...now.sections].map((s) => s.title));
  return [...titles].filter((title) => {
    const a = before.sections.find((s) => s.title === title);
    const b = now.sections.find((s) => s.title === title);
    return canonicalJson(a ?? null) !== canonicalJson(b ?? null);
  });
}

export async function verifyLotRecordFile(ctx: Omit<RecordContext, 'zone'> & { zone: string }, file: Buffer): Promise<VerifyResult> {
  const stated = readStatedRecord(file);
  if ('error' in stated) return { ok: false, message: stated.error };
  if (stated.content) {
    const actual = contentHash(stated.content);
    if (actual !== stated.hash) return { ok: false, message: `the file was altered: its content hashes to ${actual}, not to the ${stated.hash} it states` };
  }
  let now: LotRecordContent;
  try {
    // the zone the record was written in (a plant does not move; the record's times read the same)
    now = await assembleLotRecord({ ...ctx, zone: stated.zone ?? ctx.zone }, stated.lot);
  } catch (error) {
    if (error instanceof NotFound) return { ok: false, message: `the record changed since the export at ${stated.generatedAt ?? 'an unknown time'}: lot ${stated.lot} is no longer in the database` };
    throw error;
  }
  const current = contentHash(now);
  if (current !== stated.hash) {
    const what = stated.content ? ` (changed: ${changedSections(stated.content, now).join(', ')})` : '';
    return { ok: false, message: `the record changed since the export at ${stated.generatedAt ?? 'an unknown time'}: lot ${stated.lot} now hashes to ${current}, the file states ${stated.hash}${what}` };
  }
  return { ok: true, message: `lot record ${stated.lot} verified (${stated.kind === 'pdf' ? 'PDF: checked against the database' : 'JSON: content and database'}): content SHA-256 ${current}, exported ${stated.generatedAt ?? 'at an unknown time'}` };
}
