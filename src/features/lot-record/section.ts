// One section of the lot record: what it reads (through the owning features' repositories and
// services) and how it turns that into facts and tables (pure). The record is the list in
// sections.ts; a new section (genealogy, say) is one more entry there.
import type { Cell, ColumnKind, RecordSection, RecordTable } from './schemas.js';
import type { LotBasis, RecordContext } from './basis.js';

export interface SectionDefinition<Data> {
  key: string;
  title: string;
  /** I/O: everything the section needs beyond the basis */
  read(ctx: RecordContext, basis: LotBasis): Promise<Data>;
  /** pure: the section's content from what was read */
  build(data: Data, basis: LotBasis): Pick<RecordSection, 'facts' | 'tables'>;
}

/** A section definition whatever its data (for the list). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry checks its own Data
export type AnySection = SectionDefinition<any>;

export const defineSection = <Data>(section: SectionDefinition<Data>): SectionDefinition<Data> => section;

/** A table from [key, header, kind] columns and rows of cells in that order. */
export function table(key: string, title: string, columns: readonly (readonly [string, string, ColumnKind])[], rows: Cell[][]): RecordTable {
  return { key, title, columns: columns.map(([k, header, kind]) => ({ key: k, header, kind })), rows };
}
