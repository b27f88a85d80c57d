// The lot's genealogy in its record: the lots it consumed (backward — a kit lot's pouch lots, with
// quantities, entered or derived from the routing) and the lots it went into (forward — the kit lots
// holding its pouches), read through the genealogy feature's traces. The trace's generation time is
// left out: the record's content (and its hash) is what the lot is, not when it was read.
import { traceBackward, traceForward } from '../genealogy/trace.js';
import type { Trace } from '../genealogy/schemas.js';
import type { Cell } from './schemas.js';
import { localIsoTime, type LotBasis } from './basis.js';
import { defineSection, table } from './section.js';

const COLUMNS = [
  ['depth', 'Level', 'number'], ['consumedLot', 'Consumed lot', 'text'], ['consumedStep', 'Its step', 'number'], ['kitLot', 'Into lot', 'text'],
  ['kitStep', 'Its step', 'number'], ['product', 'Product', 'text'], ['quantity', 'Quantity', 'number'], ['source', 'Recorded', 'text'],
] as const;

function rows(trace: Trace, basis: LotBasis, productOf: (lot: string, step: number) => string | null): Cell[][] {
  return trace.links.map((link) => [
    link.depth, link.consumedLot, link.consumedStep + 1, link.kitLot, link.kitStep + 1,
    trace.direction === 'backward' ? productOf(link.consumedLot, link.consumedStep) : productOf(link.kitLot, link.kitStep),
    link.quantity,
    link.derived ? 'derived from the routing' : `entered by ${link.enteredBy ?? '?'} at ${localIsoTime(link.enteredAt, basis.zone)}`,
  ]);
}

export const genealogySection = defineSection({
  key: 'genealogy',
  title: 'Genealogy',
  read: async (ctx, basis) => ({ backward: await traceBackward(ctx.db, basis.lot), forward: await traceForward(ctx.db, basis.lot) }),
  build: ({ backward, forward }: { backward: Trace; forward: Trace }, basis) => {
    const names = new Map([...backward.nodes, ...forward.nodes].map((node) => [`${node.lot}/${node.step}`, node.productName ?? node.product]));
    const productOf = (lot: string, step: number) => names.get(`${lot}/${step}`) ?? null;
    return {
      facts: [
        { label: 'Lots consumed', value: new Set(backward.links.filter((l) => l.depth === 1).map((l) => l.consumedLot)).size },
        { label: 'Lots it went into', value: new Set(forward.links.filter((l) => l.depth === 1).map((l) => l.kitLot)).size },
      ],
      tables: [
        table('consumed', 'Consumed (backward)', COLUMNS, rows(backward, basis, productOf)),
        table('went-into', 'Went into (forward)', COLUMNS, rows(forward, basis, productOf)),
      ],
    };
  },
});
