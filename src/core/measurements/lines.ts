// Splits bytes into lines as they arrive in chunks, with the byte offset after each line (what a
// ledger records as consumed). A line ends at \n (a preceding \r is dropped); an unterminated last
// line is held back until more bytes come or the input is declared complete.

export interface Line {
  /** the line without its line break */
  text: string;
  /** 1-based, counting from the first byte fed (plus `firstLine - 1`) */
  number: number;
  /** byte offset just after the line's break (or its end, for a final unterminated line) */
  endByte: number;
}

export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private offset: number;
  private next: number;

  constructor(startByte = 0, firstLine = 1) {
    this.offset = startByte;
    this.next = firstLine;
  }

  /** Complete lines of what was fed so far. */
  push(chunk: Buffer): Line[] {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: Line[] = [];
    const breaks: number[] = [];
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) breaks.push(i);
    const start = breaks.length ? breaks[breaks.length - 1] + 1 : 0;
    // One decode of all complete lines when they are valid UTF-8 (0x0A never occurs inside a UTF-8
    // sequence, so the text splits at the same breaks); a line-by-line decode costs a call and a
    // copy per line (~40 % of reading a 1 Hz day). Invalid UTF-8 anywhere: each line on its own, so
    // only the Latin-1 lines are read as Latin-1.
    const whole = breaks.length > 1 ? decodeUtf8(data.subarray(0, start)) : null;
    const texts = whole?.split('\n');
    let from = 0;
    for (let k = 0; k < breaks.length; k++) {
      const i = breaks[k];
      let text = texts ? texts[k] : decode(data.subarray(from, i > from && data[i - 1] === 13 ? i - 1 : i));
      if (texts && text.endsWith('\r')) text = text.slice(0, -1);
      lines.push({ text, number: this.next++, endByte: this.offset + i + 1 });
      from = i + 1;
    }
    this.offset += start;
    this.pending = Buffer.from(data.subarray(start));
    return lines;
  }

  /** The last line when it has no line break (call at the end of a complete file). */
  end(): Line[] {
    if (this.pending.length === 0) return [];
    const text = decode(this.pending);
    const line = { text: text.endsWith('\r') ? text.slice(0, -1) : text, number: this.next++, endByte: this.offset + this.pending.length };
    this.offset += this.pending.length;
    this.pending = Buffer.alloc(0);
    return [line];
  }

  /** bytes fed but not yet part of a complete line */
  get pendingBytes(): number {
    return this.pending.length;
  }
}

/** UTF-8 when the bytes are valid UTF-8 (°C, µm), else Latin-1 (older Windows tools write °C as one byte). */
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** null when the bytes are not valid UTF-8 */
function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
function decode(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
