// Plant model tables. Instants are UTC epoch ms (bigint columns); booleans are 0/1 integers so that the
// three dialects return the same thing.
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
  created_at: number;
  updated_at: number;
}

export interface ProductTable {
  key: string;
  name: string;
  short_name: string;
  item_number: string;
  color: string;
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
