/** Who makes a change and from where: recorded with every audit entry. */
export interface Who {
  actor: string;
  source?: string | null;
  /** why — required for regulated changes */
  reason?: string | null;
}

export const SYSTEM: Who = { actor: 'system', source: 'qmfg' };
