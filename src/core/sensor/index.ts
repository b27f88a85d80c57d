// Camera sensor logs: streaming parser, descriptive stats and the demo-data generator.
export { SensorLogParser, fileDateFromName, isNoLot, MAX_ERRORS_PER_FILE, MAX_LINE_BYTES } from './parse.js';
export type { Cycle, RowError, ParseBatch, SensorLogParserOptions } from './parse.js';
export { LocalTimeConverter, assertValidZone, localDateOf } from './local-time.js';
export { summarize, DEFAULT_STOP_BINS_SECONDS, DEFAULT_AVAILABILITY_LOSS_SECONDS } from './stats.js';
export type { SensorSummary, StopClass, LotRun, SummarizeOptions } from './stats.js';
export { generateDay, generateDays, iterateDays, demoFileName, mulberry32, DEMO_ITEMS } from './generate.js';
export type { DemoLot, GenerateDayOptions, GenerateDaysOptions, GeneratedDay } from './generate.js';
