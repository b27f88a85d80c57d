// The lot record as a PDF (pdfkit, server-side): A4 landscape, every section's facts and tables,
// a header naming the lot and a footer with page n/m, the generation time with its zone offset and
// the content hash — the same hash as the JSON export, also in the document's info dictionary
// (ContentHash, Keywords) so that `qmfg record verify` can read it back without a PDF parser.
import type { Cell, LotRecordExport, RecordTable } from './schemas.js';

const PAGE = { size: 'A4' as const, layout: 'landscape' as const, margins: { top: 48, bottom: 44, left: 36, right: 36 } };
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const TABLE_SIZE = 7;
const CELL_PAD = 2;

/**
 * The standard PDF fonts carry Windows-1252 only: characters outside it (arrows, ≥, ›…) are written
 * as their ASCII look-alikes rather than as blanks a reader would miss.
 */
const LOOK_ALIKES: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '×': 'x', '\u202f': ' ', '\u00a0': ' ', '−': '-' };
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function pdfText(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (LOOK_ALIKES[ch] !== undefined) out += LOOK_ALIKES[ch];
    else if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

/**
 * Column widths: each at least its longest word (so no word is broken, up to a cap), the rest of the
 * page shared by how much wider each column's longest text (of a sample of rows) would like to be.
 */
function columnWidths(doc: PDFKit.PDFDocument, t: RecordTable, width: number): number[] {
  doc.font(FONT).fontSize(TABLE_SIZE);
  const sample = t.rows.length > 200 ? t.rows.filter((_, i) => i % Math.ceil(t.rows.length / 200) === 0) : t.rows;
  const pad = 2 * CELL_PAD + 1;
  const longestWord = (text: string) => Math.max(0, ...text.split(/\s+/).map((word) => doc.widthOfString(word)));
  const minimum = t.columns.map((c, i) => Math.min(90, pad + Math.max(longestWord(pdfText(c.header)), ...sample.map((row) => longestWord(pdfText(row[i]))))));
  const natural = t.columns.map((c, i) => Math.max(minimum[i], pad + Math.max(doc.widthOfString(pdfText(c.header)) * 0.7, ...sample.map((row) => Math.min(doc.widthOfString(pdfText(row[i])), 260)))));
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= width) return natural.map((w) => (w * width) / total);
  const floor = minimum.reduce((a, b) => a + b, 0);
  if (floor >= width) return minimum.map((w) => (w * width) / floor);
  const extra = natural.map((w, i) => w - minimum[i]);
  const extraTotal = extra.reduce((a, b) => a + b, 0);
  return minimum.map((w, i) => w + (extraTotal > 0 ? (extra[i] * (width - floor)) / extraTotal : 0));
}

function rowHeight(doc: PDFKit.PDFDocument, cells: string[], widths: number[]): number {
  let lines = 1;
  for (const [i, text] of cells.entries()) {
    const inner = widths[i] - 2 * CELL_PAD;
    // most cells fit on one line: measuring their width is far cheaper than laying the text out
    if (!text.includes('\n') && doc.widthOfString(text) <= inner) continue;
    lines = Math.max(lines, Math.ceil(doc.heightOfString(text, { width: inner }) / doc.currentLineHeight(true)));
  }
  return lines * doc.currentLineHeight(true) + 2 * CELL_PAD;
}

function drawTable(doc: PDFKit.PDFDocument, t: RecordTable): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const widths = columnWidths(doc, t, width);
  const header = t.columns.map((c) => pdfText(c.header));
  const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
    doc.font(bold ? BOLD : FONT).fontSize(TABLE_SIZE);
    const height = rowHeight(doc, cells, widths);
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!bold) drawRow(header, true, true);
      doc.font(bold ? BOLD : FONT).fontSize(TABLE_SIZE);
    }
    const top = doc.y;
    if (shade) doc.rect(left, top, width, height).fill('#e8eef7').fillColor('black');
    let x = left;
    for (const [i, text] of cells.entries()) {
      doc.text(text, x + CELL_PAD, top + CELL_PAD, { width: widths[i] - 2 * CELL_PAD, lineBreak: true });
      x += widths[i];
    }
    doc.moveTo(left, top + height).lineTo(left + width, top + height).lineWidth(0.3).strokeColor('#b0b8c4').stroke();
    doc.x = left;
    doc.y = top + height;
  };
  doc.font(BOLD).fontSize(9);
  if (doc.y + 40 > bottom()) doc.addPage();
  doc.text(pdfText(t.title), left, doc.y, { width });
  doc.moveDown(0.2);
  drawRow(header, true, true);
  if (t.rows.length === 0) {
    doc.font(FONT).fontSize(TABLE_SIZE).text('none', left + CELL_PAD, doc.y + CELL_PAD);
  }
  for (const row of t.rows) drawRow(row.map(pdfText), false, false);
  doc.x = left;
  doc.moveDown(0.8);
}

/** Renders the export to PDF bytes. */
export async function lotRecordPdf(record: LotRecordExport): Promise<Buffer> {
  const { content, contentHash, generatedAt } = record;
  // loaded when asked for: the server and CLI start without it
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    ...PAGE,
    bufferPages: true,
    info: {
      Title: `Lot record ${content.lot}`,
      Subject: `Electronic device history record of lot ${content.lot}`,
      Keywords: `lot ${content.lot}, qmfg-content-sha256:${contentHash}`,
      Creator: 'qmfg',
      // read back by `qmfg record verify`
      ContentHash: contentHash,
      Lot: content.lot,
      Zone: content.zone,
      GeneratedAt: generatedAt,
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font(BOLD).fontSize(16).text(`Lot record (eDHR) — lot ${pdfText(content.lot)}`, left, doc.y, { width });
  doc.font(FONT).fontSize(8).text(`Plant time zone ${content.zone}; every time carries its UTC offset. Content SHA-256: ${contentHash}`, { width });
  doc.moveDown(0.6);
  for (const section of content.sections) {
    if (doc.y + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    doc.font(BOLD).fontSize(12).fillColor('#1d3557').text(pdfText(section.title), left, doc.y, { width }).fillColor('black');
    doc.moveDown(0.2);
    if (section.facts.length > 0) {
      doc.font(FONT).fontSize(8);
      for (const fact of section.facts) doc.text(`${pdfText(fact.label)}: ${pdfText(fact.value) || '—'}`, left, doc.y, { width });
      doc.moveDown(0.4);
    }
    for (const t of section.tables) drawTable(doc, t);
  }
  // header and footer on every page, now that the page count is known
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // writing into the margins must not open a new page
    doc.page.margins = { ...margins, top: 0, bottom: 0 };
    doc.font(FONT).fontSize(7).fillColor('#444444');
    doc.text(`qmfg lot record — lot ${pdfText(content.lot)}`, left, 22, { width, align: 'left', lineBreak: false });
    doc.text(`Generated ${generatedAt}`, left, 22, { width, align: 'right', lineBreak: false });
    const footerY = doc.page.height - bottom + 14;
    doc.text(`Page ${i + 1}/${range.count}`, left, footerY, { width, align: 'right', lineBreak: false });
    doc.text(`Content SHA-256 ${contentHash}`, left, footerY, { width, align: 'left', lineBreak: false });
    doc.page.margins = margins;
    doc.fillColor('black');
  }
  doc.end();
  return done;
}

/** The content hash a PDF from lotRecordPdf states in its info dictionary, or null when it has none. */
export function pdfStatedHash(pdf: Buffer): string | null {
  const text = pdf.toString('latin1');
  const ref = /\/ContentHash (\d+) 0 R/.exec(text);
  const direct = /\/ContentHash \(([0-9a-f]{64})\)/.exec(text);
  if (direct) return direct[1];
  if (!ref) return null;
  const object = new RegExp(`(?:^|[\\r\\n])${ref[1]} 0 obj\\s*\\(([0-9a-f]{64})\\)\\s*endobj`).exec(text);
  return object ? object[1] : null;
}
