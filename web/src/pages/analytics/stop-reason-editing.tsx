// Giving a stop its reason from the Analytics stop table. Changing a reason someone already gave
// (another reason, none, or one reason over a stop an operator split into parts) is an override:
// the server wants a justification, so the dialog asks why first.
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { setStopReason, type Stop } from '../../api/analytics.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { useToast } from '../../components/toasts.js';
import { formatDuration } from './format.js';
import type { StopReasonOption } from './stop-reasons.js';

interface Pending {
  stop: Stop;
  reason: string | null;
  comment: string | null;
}

/** Whether saving `reason` over what the stop has overrides a reason somebody gave. */
export function overridesGivenReason(stop: Pick<Stop, 'segments' | 'reason'>, reason: string | null): boolean {
  const given = stop.segments.filter((segment) => segment.reason !== null);
  if (given.length === 0) return false;
  return stop.segments.length > 1 || given[0].reason !== reason;
}

export function useStopReasonEditing(options: readonly StopReasonOption[], reload: () => Promise<void>) {
  const toast = useToast();
  const [overriding, setOverriding] = useState<Pending | null>(null);
  const labelOf = (reason: string | null) => (reason === null ? 'no reason' : (options.find((o) => o.id === reason)?.label ?? reason));

  const saveReason = async (stop: Stop, reason: string | null, comment: string | null) => {
    if (overridesGivenReason(stop, reason)) {
      setOverriding({ stop, reason, comment });
      return;
    }
    try {
      await setStopReason(stop.machine, stop.startMs, { reason, comment });
      toast.success(`Reason saved for the ${formatDuration(stop.seconds)} stop`);
      await reload();
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };

  const dialog = overriding ? (
    <ReasonDialog
      title="Change the reason of this stop?"
      confirmLabel="Change reason"
      danger={false}
      onClose={() => setOverriding(null)}
      onConfirm={async (why) => {
        await setStopReason(overriding.stop.machine, overriding.stop.startMs, { reason: overriding.reason, comment: overriding.comment, changeReason: why });
        toast.success(`Reason changed for the ${formatDuration(overriding.stop.seconds)} stop`);
        await reload();
      }}
    >
      <p>
        {overriding.stop.reasonBy ?? 'Someone'} gave this {formatDuration(overriding.stop.seconds)} stop the reason{' '}
        <strong>{overriding.stop.segments.map((s) => s.label ?? s.reason).join(', then ')}</strong>. It becomes <strong>{labelOf(overriding.reason)}</strong>.
      </p>
    </ReasonDialog>
  ) : null;
  return { saveReason, dialog };
}
