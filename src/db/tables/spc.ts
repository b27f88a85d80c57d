// Frozen control limits of measurement channels, one row per version (issue 14 item 3).
import type { Generated } from 'kysely';

export interface SpcLimitsTable {
  id: Generated<number>;
  channel_id: number;
  version: number;
  subgroup_minutes: number;
  /** 'western-electric' | 'nelson' | 'none' */
  rules: string;
  centre: number;
  sigma_of_means: number;
  sigma_within: number | null;
  degrees_of_freedom: number;
  ewma_sd: number;
  lambda: number;
  width: number;
  subgroups: number;
  baseline_from: number;
  baseline_to: number;
  created_by: string;
  created_at: number;
  reason: string;
}
