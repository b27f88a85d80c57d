// Background-job leases (issue 17 item 3). Instants are the database's clock, epoch ms.
export interface JobLeaseTable {
  name: string;
  /** the holding instance's id, '' when free */
  holder: string;
  expires_at: number;
  acquired_at: number;
  renewed_at: number;
}
