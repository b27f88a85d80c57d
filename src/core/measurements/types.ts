// What the measurement parsers produce. Pure: no I/O, no clock.
import type { RowError } from '../sensor/index.js';

export type { RowError };

/** One measured value of one named column (a channel as the file names it). */
export interface ParsedSample {
  /** the file's name for the channel (an LVM heading, a mapped CSV column's channel key) */
  channel: string;
  /** UTC epoch ms */
  at: number;
  value: number;
  /** 1-based line in the file */
  line: number;
}

/** A channel as a file describes it (LVM headings carry a unit). */
export interface ParsedChannel {
  name: string;
  unit: string | null;
}

export interface ParseOutput {
  samples: ParsedSample[];
  errors: RowError[];
}

/** A streaming parser: lines in order (see LineSplitter), then finish(). */
export interface MeasurementParser {
  line(text: string, number: number, out: ParseOutput): void;
  /** checks of the whole input (e.g. an LVM without data) */
  finish(out: ParseOutput): void;
  /** channels seen so far */
  channels(): ParsedChannel[];
}

/** Accepts `12.5`, `-1e-3`, and with decimal ',' also `12,5`; null for anything else. */
export function parseNumber(text: string, decimal: '.' | ','): number | null {
  let t = text.trim();
  if (t === '') return null;
  if (decimal === ',') {
    if (t.includes('.')) return null;
    t = t.replace(',', '.');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const value = Number(t);
  return Number.isFinite(value) ? value : null;
}
