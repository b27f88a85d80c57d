// Plant model tables. Instants are UTC epoch ms (bigint columns); booleans are 0/1 integers so that the
// three dialects return the same thing.
import type { Generated } from 'kysely';
import type { RateMode } from '../../core/schedule/types.js';

export interface SiteTable {
  id: number;
  name: string;
  timezone: string;
  default_rate_mode: RateMode;
  observed_window_hours: number;
  version: number;
  updated_at: number;
}

export interface ProcessGroupTable {
  key: string;
  name: string;
  sort_order: number;
  version: number;
  /** version of the group's changeover matrix (its rules are replaced whole, see changeover_rules) */
  changeover_version: number;
  created_at: number;
  updated_at: number;
}

export interface MachineTable {
  key: string;
  name: string;
  group_key: string;
  enabled: number;
  oee_profile: string;
  data_folder: string | null;
  sort_order: number;
  version: number;
  /** family the machine last ran as the planner set it (issue 15); null = unknown or cleared */
  last_family: string | null;
  /** when the planner set or cleared last_family (UTC ms); null = never */
  last_family_set_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ProductTable {
  key: string;
  name: string;
  short_name: string;
  item_number: string;
  color: string;
  /** changeover family; null = the product is its own family */
  family: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface RoutingStepTable {
  product_key: string;
  step_index: number;
  group_key: string;
  rate_per_hour: number;
  setup_minutes: number;
  gate_name: string | null;
  gate_hours: number | null;
  gate_role: string | null;
}

/** One rule of a process group's changeover matrix: working minutes from one family to another (`*` = any). */
export interface ChangeoverRuleTable {
  id: Generated<number>;
  group_key: string;
  from_family: string;
  to_family: string;
  minutes: number;
}
