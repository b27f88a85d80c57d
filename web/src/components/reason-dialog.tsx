// The reason dialog: a confirmation that asks why (closing short, deleting, overriding a stop
// reason, editing a signed record). One implementation with the plain confirmation (ConfirmDialog).
import { ConfirmDialog } from './dialogs.js';

export { ReasonField, REASON_MAX, REASON_MISSING } from './reason-field.js';

type ConfirmProps = Parameters<typeof ConfirmDialog>[0];

/**
 * "Are you sure, and why?": the confirmation of a consequential action with its reason. The reason
 * goes to `onConfirm`, trimmed; the action's failure (e.g. "still used by …") stays in the dialog.
 */
export function ReasonDialog(props: Omit<ConfirmProps, 'reason'> & {
  /** holidays: the reason is optional */
  optional?: boolean;
}) {
  const { optional, ...rest } = props;
  return <ConfirmDialog {...rest} reason={optional ? 'optional' : 'required'} />;
}
