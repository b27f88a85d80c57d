// Genealogy (issue 16 item 3): consumed lots of kit lots. Instants are UTC epoch ms.
import type { Generated } from 'kysely';

/** A process group whose steps consume other lots' output (kitting). */
export interface GenealogyConsumingGroupTable {
  group_key: string;
  created_at: number;
}

/** A kit lot whose consumption was entered (replacing the routing's derived link); its version. */
export interface KitConsumptionSetTable {
  kit_lot: string;
  /** the consuming step of the kit lot's routing */
  kit_step: number;
  version: number;
  updated_at: number;
  updated_by: string;
}

/** One entered link: `quantity` units of the output of (source_lot, source_step) went into (kit_lot, kit_step). */
export interface LotConsumptionTable {
  id: Generated<number>;
  kit_lot: string;
  kit_step: number;
  source_lot: string;
  source_step: number;
  quantity: number;
  entered_at: number;
  entered_by: string;
}
