// A stop nobody gave a reason that ends where the machine starts a new lot is a changeover (issue 15
// item 1: "counts it in OEE as changeover (setup) loss"): the machine stood while the line was
// cleared and the next lot set up. Pure: the caller brings the stops and the lots' first cycles.

/** "no lot" as the camera writes it ('0', or '000000' on some days) */
export function isNoLot(lot: string): boolean {
  return /^0+$/.test(lot);
}

/** How long after a stop the first cycle of the new lot may come (empty pockets of the new set-up run first). */
export const LOT_START_TOLERANCE_MS = 2 * 60_000;

/**
 * The stops (start, end] that end at a lot change: a real lot's first cycle on the machine comes at
 * the stop's end (within LOT_START_TOLERANCE_MS), and another real lot ran on the machine before the
 * stop began. `lots` are the machine's lots with their first and last cycle.
 */
export function stopsAtLotChange<S extends { start: number; end: number }>(
  stops: readonly S[],
  lots: readonly { lot: string; firstAt: number; lastAt: number }[],
): S[] {
  const real = lots.filter((lot) => !isNoLot(lot.lot));
  return stops.filter((stop) => {
    const next = real.find((lot) => lot.firstAt >= stop.end && lot.firstAt <= stop.end + LOT_START_TOLERANCE_MS);
    if (!next) return false;
    return real.some((lot) => lot.lot !== next.lot && lot.firstAt <= stop.start);
  });
}
