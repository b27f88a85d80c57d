// The reason a consequential change needs (closing short, overriding a stop reason, editing a signed
// or released record, deleting, changing the calendar): the text the reviewer reads in the audit
// trail next to the change. The schema is shared by every request body that carries one; whether a
// reason is needed is a rule of the service that makes the change (closing is only "short" once the
// counts are known), so services call requireReason.
import { z } from 'zod';
import { Invalid } from './errors.js';

export const REASON_MAX = 500;

/** An optional reason in a request body: trimmed, at most 500 characters; blank counts as none. */
export const reasonSchema = z
  .string()
  .trim()
  .max(REASON_MAX, `keep the reason to ${REASON_MAX} characters`)
  .optional()
  .transform((s) => (s ? s : undefined));

/** The optional body of a DELETE: only the reason. */
export const deleteBodySchema = z.object({ reason: reasonSchema }).nullish();

/**
 * The trimmed reason of `who`, or a 400 naming the field `reason` (or `field`) when there is none.
 * `what` says what needs it, in the user's words: "closing step 1 short of its quantity".
 */
export function requireReason(who: { reason?: string | null }, what: string, field = 'body.reason'): string {
  const reason = who.reason?.trim();
  if (!reason) throw Invalid.field(field, `give the reason for ${what}`);
  if (reason.length > REASON_MAX) throw Invalid.field(field, `keep the reason to ${REASON_MAX} characters`);
  return reason;
}
