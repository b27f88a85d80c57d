// What "standard" means for a machine over a window (the production chart's standard line, the fine
// rate's reference): the routing rate, for the machine's process group, of the product that made
// the most parts on the machine in the window.

export interface StandardRateMachine {
  key: string;
  group: string;
}
export interface StandardRateLot {
  machine: string;
  /** the product's 7-digit item number, as the camera logs it */
  item: string;
  parts: number;
}
export interface StandardRateProduct {
  itemNumber: string;
  routing: readonly { group: string; ratePerHour: number }[];
}

/**
 * Units per hour, or null when no product that ran has a step on the machine's group. Products are
 * tried by parts made, most first (a tie keeps the order the lots came in).
 */
export function standardRateFor(machine: StandardRateMachine | undefined, lots: readonly StandardRateLot[], products: readonly StandardRateProduct[]): number | null {
  if (!machine) return null;
  const byItem = new Map<string, number>();
  for (const lot of lots) if (lot.machine === machine.key) byItem.set(lot.item, (byItem.get(lot.item) ?? 0) + lot.parts);
  const ranked = [...byItem].sort((a, b) => b[1] - a[1]);
  for (const [item] of ranked) {
    const step = products.find((p) => p.itemNumber === item)?.routing.find((s) => s.group === machine.group);
    if (step) return step.ratePerHour;
  }
  return null;
}
