// TV device tokens: read-only principals of wall screens (issue 12 item 3).
import type { Generated } from 'kysely';

export interface TvDeviceTable {
  id: Generated<number>;
  /** what the admin called the screen ("Hall B, north wall") */
  name: string;
  /** SHA-256 of the token: the database never holds a usable token */
  token_hash: string;
  /** JSON array of process-group keys the screen may show; [] = every group */
  groups: string;
  created_by: string;
  created_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
  /** last request of the screen, written at most every minute */
  last_seen_at: number | null;
}
