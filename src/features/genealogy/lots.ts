// What genealogy needs to know of a lot: its product's routing (which step consumes other lots, which
// step's output the lot hands on) and its operations (good counts, machines, dates). Loaded in
// batches per trace level and cached for the rest of the trace.
import type { Executor } from '../../db/database.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import type { Product } from '../plant/schemas.js';
import * as repo from './repository.js';

export interface LotNodeRef {
  lot: string;
  step: number;
}
export const nodeKey = (n: LotNodeRef): string => `${n.lot}\u0000${n.step}`;

export interface LotInfo {
  lot: string;
  product: Product | undefined;
  /** the first step of the routing on a consuming group (kitting); null = the lot consumes nothing */
  consumingStep: number | null;
  /** the step whose output is handed on when another lot consumes this one (see sourceStepOf) */
  sourceStep: number;
  /** the step that feeds the lot's own consuming step by the routing (pouching → kitting); null = none */
  ownFeedStep: number | null;
  operations: Map<number, ordersRepo.OperationRow>;
}

/**
 * The output a consuming lot takes from this lot by default: its last step before any consuming step
 * (the pouches of a pouch lot), or, for a lot whose routing is only consuming steps (a kit-only lot
 * feeding a combo kit), its last step.
 */
function sourceStepOf(routing: Product['routing'], consuming: ReadonlySet<string>): number {
  const firstConsuming = routing.findIndex((s) => consuming.has(s.group));
  if (firstConsuming > 0) return firstConsuming - 1;
  if (firstConsuming === -1) return Math.max(0, routing.length - 1);
  return routing.length - 1;
}

export class LotBook {
  private readonly lots = new Map<string, LotInfo | null>();

  private constructor(
    private readonly db: Executor,
    readonly consumingGroups: ReadonlySet<string>,
    private readonly products: Map<string, Product>,
  ) {}

  static async open(db: Executor): Promise<LotBook> {
    const [groups, products] = await Promise.all([repo.listConsumingGroups(db), plantRepo.listProducts(db)]);
    return new LotBook(db, new Set(groups), new Map(products.map((p) => [p.key, p])));
  }

  /** Loads the lots not yet known (two queries for the whole batch). */
  async load(lots: Iterable<string>): Promise<void> {
    const wanted = [...new Set(lots)].filter((lot) => !this.lots.has(lot));
    if (wanted.length === 0) return;
    const [orders, operations] = await Promise.all([ordersRepo.listWorkOrders(this.db, wanted), ordersRepo.listOperations(this.db, wanted)]);
    const opsByLot = new Map<string, Map<number, ordersRepo.OperationRow>>();
    for (const op of operations) {
      const ops = opsByLot.get(op.lot) ?? new Map<number, ordersRepo.OperationRow>();
      ops.set(Number(op.step), op);
      opsByLot.set(op.lot, ops);
    }
    for (const lot of wanted) this.lots.set(lot, null);
    for (const wo of orders) {
      const product = this.products.get(wo.product_key);
      const routing = product?.routing ?? [];
      const first = routing.findIndex((s) => this.consumingGroups.has(s.group));
      const consumingStep = first === -1 ? null : first;
      const ownFeedStep = consumingStep !== null && consumingStep > 0 && !this.consumingGroups.has(routing[consumingStep - 1].group) ? consumingStep - 1 : null;
      this.lots.set(wo.lot, { lot: wo.lot, product, consumingStep, sourceStep: sourceStepOf(routing, this.consumingGroups), ownFeedStep, operations: opsByLot.get(wo.lot) ?? new Map() });
    }
  }

  /** undefined = not loaded yet; null = no such work order */
  info(lot: string): LotInfo | null | undefined {
    return this.lots.get(lot);
  }

  good(node: LotNodeRef): number {
    return Number(this.lots.get(node.lot)?.operations.get(node.step)?.good ?? 0);
  }

  isConsumingStep(node: LotNodeRef): boolean {
    const info = this.lots.get(node.lot);
    const group = info?.product?.routing[node.step]?.group;
    return group !== undefined && this.consumingGroups.has(group);
  }
}
