// A trace as a table for .xlsx and CSV: one row per link, both lots described (product, machine,
// start/end, QC release). Every time is written as text with its zone offset
// ("2026-12-01T14:03:27-08:00") so a recall file read anywhere names the instant without doubt.
import type { ExportTable } from '../../shared/table-export.js';
import type { Trace, TraceNode } from './schemas.js';

const release = (n: TraceNode | undefined) => (n?.release ? `${n.release.gate}: ${n.release.signedBy}, ${n.release.signedAt} (${n.release.meaning})` : null);

export function traceTable(trace: Trace): ExportTable {
  const nodes = new Map(trace.nodes.map((n) => [`${n.lot}\u0000${n.step}`, n]));
  const node = (lot: string, step: number) => nodes.get(`${lot}\u0000${step}`);
  const offset = `plant time ${trace.zone}, with offset`;
  return {
    columns: [
      { header: 'Depth', kind: 'integer', width: 7 },
      { header: 'Kit lot', kind: 'text', width: 12 },
      { header: 'Kit product', kind: 'text', width: 22 },
      { header: 'Kit machine', kind: 'text', width: 14 },
      { header: `Kitting start (${offset})`, kind: 'text', width: 27 },
      { header: `Kitting end (${offset})`, kind: 'text', width: 27 },
      { header: 'Consumed lot', kind: 'text', width: 13 },
      { header: 'Consumed step', kind: 'integer', width: 9 },
      { header: 'Consumed product', kind: 'text', width: 22 },
      { header: 'Consumed on machine', kind: 'text', width: 16 },
      { header: `Consumed lot start (${offset})`, kind: 'text', width: 27 },
      { header: `Consumed lot end (${offset})`, kind: 'text', width: 27 },
      { header: 'QC release of the consumed lot', kind: 'text', width: 44, wrap: true },
      { header: 'Quantity', kind: 'integer', width: 10 },
      { header: 'Link', kind: 'text', width: 20 },
      { header: 'Entered by', kind: 'text', width: 14 },
      { header: `Entered at (${offset})`, kind: 'text', width: 27 },
    ],
    rows: trace.links.map((l) => {
      const kit = node(l.kitLot, l.kitStep);
      const consumed = node(l.consumedLot, l.consumedStep);
      return [
        l.depth, l.kitLot, kit?.productName ?? '(no such work order)', kit?.machineName ?? null, kit?.start ?? null, kit?.end ?? null,
        l.consumedLot, l.consumedStep + 1, consumed?.productName ?? '(no such work order)', consumed?.machineName ?? null, consumed?.start ?? null, consumed?.end ?? null,
        release(consumed), l.quantity, l.derived ? 'derived from routing' : 'entered', l.enteredBy, l.enteredAt,
      ];
    }),
  };
}
