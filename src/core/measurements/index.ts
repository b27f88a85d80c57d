// Measurement files (LabVIEW .lvm, CSV/TSV with a column mapping): streaming parsers, and the
// per-minute statistics the series and SPC read. Pure: no I/O, no clock.
export { LineSplitter, type Line } from './lines.js';
export { LvmParser, LVM_END_OF_HEADER, LABVIEW_EPOCH_OFFSET_SECONDS, MAX_LISTED_ERRORS, type LvmParserOptions } from './lvm.js';
export { CsvMeasurementParser, detectDelimiter, type CsvParserOptions, type FieldSplitter } from './csv.js';
export { csvMappingSchema, type CsvMapping, type CsvMappingInput } from './mapping.js';
export { parseNumber, type MeasurementParser, type ParseOutput, type ParsedChannel, type ParsedSample, type RowError } from './types.js';
export { bucketsFromMinutes, chooseBucketMs, mergeStats, minuteOf, minutesOf, toBucket, BUCKET_STEPS_MS, MAX_POINTS, MINUTE_MS, type MinuteStats, type SeriesBucket } from './stats.js';
export { parseText } from './parse-text.js';
export { parseMeasurementMessage, MAX_MESSAGE_SAMPLES, type MessageSample } from './message.js';
