// What a planner can do with one operation without dragging: load it on a machine of its process
// group (replace the running job, insert next, append), park it, hold or release it, close it. The
// keyboard and touch path of the board, and the action bar of the work-order panel.
import { useState } from 'react';
import type { Machine } from '../../../../src/features/plant/schemas.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { loadOperation, operationAction, type OperationAction, type WorkOrder } from '../../api/orders.js';
import { ConfirmDialog } from '../../components/dialogs.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { ErrorBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { formatQuantity } from './format.js';
import { useCan } from '../../auth/auth.js';

type Operation = WorkOrder['operations'][number];
type QuickMode = 'replace' | 'insert' | 'append';

const MODES: { mode: QuickMode; label: string; hint: string }[] = [
  { mode: 'replace', label: 'Replace', hint: 'runs now; the running job goes back to the parking lot' },
  { mode: 'insert', label: 'Insert next', hint: 'right after the running job' },
  { mode: 'append', label: 'Append', hint: 'at the end of the queue' },
];

export function OperationActions({ workOrder, operation, machines, onChanged }: {
  workOrder: WorkOrder;
  operation: Operation;
  /** all machines; the ones of the operation's process group are offered */
  machines: Machine[];
  /** after a successful change or a stale answer: the caller refetches what it shows */
  onChanged: () => void;
}) {
  const toast = useToast();
  // planning (load, park, hold, release) and closing are different permissions: quality closes, planners plan
  const canPlan = useCan('orders:write');
  const canClose = useCan('orders:close');
  const candidates = machines.filter((m) => m.group === operation.group).sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  const defaultMachine = operation.machine ?? candidates.find((m) => m.enabled)?.key ?? '';
  const [machine, setMachine] = useState(defaultMachine);
  const [mode, setMode] = useState<QuickMode>('append');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const chosenMachine = candidates.find((m) => m.key === machine);
  const label = `lot ${workOrder.lot}${workOrder.operations.length > 1 ? ` step ${operation.step + 1}` : ''}`;

  const run = async (what: string, action: () => Promise<unknown>, success: string) => {
    setBusy(what);
    setError(null);
    try {
      await action();
      toast.success(success);
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && e.isStale) {
        setError(`Someone else changed ${label} meanwhile. The latest state is shown now; check it and try again.`);
        onChanged();
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(null);
    }
  };

  const act = (action: OperationAction, success: string) =>
    run(action, () => operationAction(workOrder.lot, operation.step, action, { version: workOrder.version }), success);

  if (operation.state === 'done') {
    return (
      <p className="op-actions-done muted" data-testid="op-actions-done">
        This step is done; nothing more to plan.
      </p>
    );
  }
  return (
    <div className="op-actions" data-testid="op-actions">
      {canPlan ? (
        <div className="op-load">
          <label className="op-load-field">
            <span>Load on</span>
            <select value={machine} onChange={(e) => setMachine(e.target.value)} data-testid="action-machine" disabled={busy !== null}>
              {candidates.length === 0 ? <option value="">No machine in {operation.groupName}</option> : null}
              {candidates.map((m) => (
                <option key={m.key} value={m.key} disabled={!m.enabled}>
                  {m.name}
                  {m.enabled ? '' : ' (disabled)'}
                </option>
              ))}
            </select>
          </label>
          <div className="segmented" role="radiogroup" aria-label="How to load">
            {MODES.map((m) => (
              <button
                key={m.mode}
                type="button"
                role="radio"
                aria-checked={mode === m.mode}
                className={`segment${mode === m.mode ? ' segment-on' : ''}`}
                title={m.hint}
                onClick={() => setMode(m.mode)}
                data-testid={`action-mode-${m.mode}`}
              >
                {m.label}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="button button-primary"
            disabled={busy !== null || !chosenMachine?.enabled}
            data-testid="action-load"
            onClick={() =>
              void run(
                'load',
                () => loadOperation(workOrder.lot, operation.step, { machine, mode, version: workOrder.version }),
                `Lot ${workOrder.lot} loaded on ${chosenMachine?.name ?? machine} (${MODES.find((m) => m.mode === mode)?.label.toLowerCase()})`,
              )
            }
          >
            {busy === 'load' ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            Load
          </button>
        </div>
      ) : null}
      {canPlan ? <p className="op-mode-hint muted small">{MODES.find((m) => m.mode === mode)?.hint}</p> : null}
      <div className="button-row">
        {canPlan && operation.state !== 'parked' ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => void act('park', `Lot ${workOrder.lot} moved to the parking lot`)} data-testid="action-park">
            Park
          </button>
        ) : null}
        {canPlan && (operation.state === 'queued' || operation.state === 'running') ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => void act('hold', `Lot ${workOrder.lot} is on hold`)} data-testid="action-hold">
            Hold
          </button>
        ) : null}
        {canPlan && operation.state !== 'parked' ? (
          operation.pinned ? (
            <button type="button" className="button" disabled={busy !== null} onClick={() => void act('unpin', `Lot ${workOrder.lot} unpinned: suggestions may move it`)} data-testid="action-unpin" title="Suggestions may move it again">
              Unpin
            </button>
          ) : (
            <button type="button" className="button" disabled={busy !== null} onClick={() => void act('pin', `Lot ${workOrder.lot} pinned: suggestions keep it on its machine`)} data-testid="action-pin" title="Plan suggestions keep it on this machine, in this order">
              Pin
            </button>
          )
        ) : null}
        {canPlan && operation.state === 'held' ? (
          <button type="button" className="button" disabled={busy !== null} onClick={() => void act('release', `Lot ${workOrder.lot} released`)} data-testid="action-release">
            Release
          </button>
        ) : null}
        {canClose ? (
          <button type="button" className="button button-danger-outline" disabled={busy !== null} onClick={() => setConfirmClose(true)} data-testid="action-close">
            Close step
          </button>
        ) : null}
      </div>
      {error ? <ErrorBanner message={error} testId="action-error" /> : null}
      {confirmClose ? (
        <CloseStepDialog
          label={label}
          workOrder={workOrder}
          operation={operation}
          onClose={() => setConfirmClose(false)}
          onConfirm={async (reason) => {
            await operationAction(workOrder.lot, operation.step, 'close', reason ? { version: workOrder.version, reason } : { version: workOrder.version });
            toast.success(`Lot ${workOrder.lot}: ${operation.groupName} closed`);
            onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

/**
 * Closing a step: with fewer good units than the lot's quantity it is closing short, and the
 * dialog asks why (the server refuses a short close without a reason); a full close just confirms.
 */
function CloseStepDialog({ label, workOrder, operation, onConfirm, onClose }: {
  label: string;
  workOrder: WorkOrder;
  operation: Operation;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const short = operation.good < workOrder.quantity;
  const percent = workOrder.quantity > 0 ? Math.floor((operation.produced / workOrder.quantity) * 100) : 0;
  const body = (
    <>
      <p className="close-progress" data-testid="close-progress">
        Produced <strong>{formatQuantity(operation.produced)}</strong> of {formatQuantity(workOrder.quantity)} ({percent} %)
        {operation.scrap > 0 ? `, ${formatQuantity(operation.scrap)} scrapped` : ''}.
      </p>
      <p>
        {short ? 'This closes the step short of the quantity of the lot. ' : ''}The step is marked done and leaves {operation.machineName ?? 'the parking lot'}; the
        next job moves up.
      </p>
    </>
  );
  return short ? (
    <ReasonDialog title={`Close ${label} short?`} confirmLabel="Close step short" onClose={onClose} onConfirm={onConfirm}>
      {body}
    </ReasonDialog>
  ) : (
    <ConfirmDialog title={`Close ${label}?`} confirmLabel="Close step" onClose={onClose} onConfirm={onConfirm}>
      {body}
    </ConfirmDialog>
  );
}
