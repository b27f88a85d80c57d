// Runs a parser over a whole text split into chunks of `chunkBytes` (tests, and small payloads).
import { LineSplitter } from './lines.js';
import type { MeasurementParser, ParseOutput } from './types.js';

export function parseText(parser: MeasurementParser, text: string | Buffer, chunkBytes = 64 * 1024): ParseOutput {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const splitter = new LineSplitter();
  const out: ParseOutput = { samples: [], errors: [] };
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    for (const line of splitter.push(bytes.subarray(at, at + chunkBytes))) parser.line(line.text, line.number, out);
  }
  for (const line of splitter.end()) parser.line(line.text, line.number, out);
  parser.finish(out);
  return out;
}
