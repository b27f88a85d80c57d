// What-if scenarios (issue 15 item 3) and a machine's planned downtime on the live plant.
import type { Generated } from 'kysely';

export interface PlanScenarioTable {
  id: Generated<number>;
  name: string;
  notes: string;
  created_by: string;
  created_at: number;
  /** planBasis() of the live queues when the scenario was copied */
  basis: string;
  basis_at: number;
  /** JSON: per machine the live queue (operation ids) at the copy, to say which queues changed since */
  basis_queues: string;
  /** JSON array of the scenario's typed edits, applied in order on top of the live plan */
  edits: string;
  version: number;
  state: 'open' | 'published' | 'discarded';
  published_at: number | null;
  published_by: string | null;
  updated_at: number;
}

export interface MachineDowntimeTable {
  id: Generated<number>;
  machine_key: string;
  /** UTC epoch ms, [start, end) */
  start_at: number;
  end_at: number;
  reason: string;
  created_by: string;
  created_at: number;
}
