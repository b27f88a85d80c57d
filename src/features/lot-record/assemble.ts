// Assembles one lot's record: the basis (work order, operations, runs), then each section's read
// (I/O through the owning features) and build (pure), then the list of data changed after entry.
// The content hash is SHA-256 over the canonical JSON of the content (sorted keys); the export adds
// when it was made, outside the hash, so two exports of an unchanged lot carry the same hash.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { canonicalJson } from '../auth/signatures.js';
import { readLotBasis, type LotBasis, type RecordContext } from './basis.js';
import { changesAfterEntry } from './record-sections.js';
import { LOT_RECORD_SECTIONS } from './sections.js';
import type { AnySection } from './section.js';
import { LOT_RECORD_FORMAT, type LotRecordContent, type LotRecordExport, type RecordSection } from './schemas.js';

export type { RecordContext } from './basis.js';

/** Pure: the record's content from the basis and what each section read (in the sections' order). */
export function buildLotRecord(basis: LotBasis, sections: readonly AnySection[], data: readonly unknown[]): LotRecordContent {
  const built: RecordSection[] = sections.map((section, i) => ({ key: section.key, title: section.title, ...section.build(data[i], basis) }));
  return { format: LOT_RECORD_FORMAT, lot: basis.lot, zone: basis.zone, sections: [...built, changesAfterEntry(built)] };
}

export async function assembleLotRecord(ctx: RecordContext, lot: string, sections: readonly AnySection[] = LOT_RECORD_SECTIONS): Promise<LotRecordContent> {
  const basis = await readLotBasis(ctx, lot);
  const data: unknown[] = [];
  // one after the other: SQLite answers synchronously, and the sections share memoised reads
  for (const section of sections) data.push(await section.read(ctx, basis));
  return buildLotRecord(basis, sections, data);
}

export function contentHash(content: LotRecordContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The export: content, its hash, and the generation time in plant time with its offset. */
export function exportOf(content: LotRecordContent, generatedAt: number): LotRecordExport {
  return { generatedAt: DateTime.fromMillis(generatedAt, { zone: content.zone }).toISO() ?? new Date(generatedAt).toISOString(), contentHash: contentHash(content), content };
}

export async function lotRecordExport(ctx: RecordContext, lot: string, generatedAt = Date.now()): Promise<LotRecordExport> {
  return exportOf(await assembleLotRecord(ctx, lot), generatedAt);
}
