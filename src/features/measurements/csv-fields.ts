// The CSV line splitter the measurement parser is given: csv-parse (quotes, embedded delimiters).
import { parse } from 'csv-parse/sync';
import type { FieldSplitter } from '../../core/measurements/index.js';

export const csvFields: FieldSplitter = (line, delimiter) => (parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
