// The reason of one stop, chosen by drilling down the group's reason tree with big buttons (a
// breadcrumb goes back), with a comment; "Split this stop…" gives the second part its own reason
// from a time inside the stop. Changing a reason somebody already gave asks why (ReasonDialog).
import { useMemo, useState } from 'react';
import { DateTime } from 'luxon';
import { ApiError } from '../../api/client.js';
import { setStopReasons, type OperatorStop, type SegmentInput } from '../../api/operator.js';
import { Modal } from '../../components/dialogs.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { ErrorBanner } from '../../components/feedback.js';
import { Field } from '../../components/field.js';
import './stop-reason-dialog.css';
import { branchPathOf, drillDown, durationLabel, instantOfClock, isLeaf, offeredNodes, pathLabelOf, splitParts, type ReasonNode } from './reason-tree.js';

const clock = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm:ss');

interface Part {
  /** the branches drilled into */
  path: string[];
  reason: string | null;
  comment: string;
}

/** Big buttons for one level of the tree, with the way back above them. */
function ReasonPicker({ offered, part, onChange, testId }: { offered: ReasonNode[]; part: Part; onChange: (part: Part) => void; testId: string }) {
  const level = drillDown(offered, part.path);
  return (
    <div className="reason-picker" data-testid={testId}>
      <nav className="reason-crumbs" aria-label="Where you are in the reasons">
        <button type="button" className="button reason-crumb" onClick={() => onChange({ ...part, path: [] })} disabled={level.crumbs.length === 0} data-testid={`${testId}-top`}>
          All reasons
        </button>
        {level.crumbs.map((crumb, i) => (
          <button key={crumb.id} type="button" className="button reason-crumb" onClick={() => onChange({ ...part, path: part.path.slice(0, i + 1) })} disabled={i === level.crumbs.length - 1}>
            › {crumb.label}
          </button>
        ))}
      </nav>
      <div className="reason-choices">
        {level.choices.map((node) => {
          const leaf = isLeaf(node);
          const chosen = leaf && node.id === part.reason;
          return (
            <button
              key={node.id}
              type="button"
              className={`reason-choice${leaf ? ' reason-leaf' : ' reason-branch'}${chosen ? ' reason-chosen' : ''}`}
              aria-pressed={leaf ? chosen : undefined}
              onClick={() => onChange(leaf ? { ...part, reason: node.id } : { ...part, path: [...part.path, node.id] })}
              data-testid={`${testId}-choice-${node.id}`}
            >
              <span>{node.label}</span>
              {leaf ? null : <span className="reason-more" aria-hidden="true">›</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function partOf(tree: ReasonNode[], reason: string | null, comment: string | null): Part {
  return { path: reason ? (branchPathOf(tree, reason) ?? []) : [], reason, comment: comment ?? '' };
}

export function StopReasonDialog({ machine, stop, tree, zone, onSaved, onClose }: {
  machine: string;
  stop: OperatorStop;
  tree: ReasonNode[];
  zone: string;
  onSaved: (message: string) => void;
  onClose: () => void;
}) {
  const offered = useMemo(() => offeredNodes(tree, 'stop'), [tree]);
  const given = stop.segments.filter((s) => s.reason !== null);
  const [first, setFirst] = useState<Part>(() => partOf(tree, stop.segments[0]?.reason ?? null, stop.segments[0]?.comment ?? null));
  const [second, setSecond] = useState<Part | null>(() => (stop.segments[1] ? partOf(tree, stop.segments[1].reason, stop.segments[1].comment) : null));
  const [splitAt, setSplitAt] = useState(() => stop.segments[1]?.startMs ?? Math.round((stop.startMs + stop.endMs) / 2000) * 1000);
  const [splitText, setSplitText] = useState(() => clock(splitAt, zone));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  // a choice clears the message of its part
  const clearError = (path: string) => setErrors(({ [path]: _gone, ...rest }) => rest);
  const parts = splitParts(stop.startMs, stop.endMs, splitAt);
  const midnight = (ms: number) => DateTime.fromMillis(ms, { zone }).startOf('day').toMillis();

  const body = (): SegmentInput[] => {
    const segments: SegmentInput[] = [{ reason: first.reason ?? '', comment: first.comment.trim() || null }];
    if (second) segments.push({ start: parts.at, reason: second.reason ?? '', comment: second.comment.trim() || null });
    return segments;
  };
  const check = (): boolean => {
    const found: Record<string, string> = {};
    if (!first.reason) found['segments.0.reason'] = 'choose a reason';
    if (second && !second.reason) found['segments.1.reason'] = 'choose the reason of the second part';
    setErrors(found);
    return Object.keys(found).length === 0;
  };
  const save = async (changeReason?: string) => {
    setBusy(true);
    setFormError(null);
    try {
      await setStopReasons(machine, stop.startMs, body(), changeReason);
      onSaved(second ? `Stop at ${clock(stop.startMs, zone)} split in two, both reasons saved` : `Reason saved for the stop at ${clock(stop.startMs, zone)}`);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        // the justification is asked in its own dialog: its message goes there (thrown on)
        if (changeReason !== undefined && error.fields.changeReason) throw new ApiError(error.fields.changeReason, error.status, error.code, { reason: error.fields.changeReason });
        setErrors(error.fields);
        const unshown = Object.entries(error.fields).filter(([path]) => !/^segments\.\d+\.(reason|start)$/.test(path));
        if (unshown.length) setFormError(unshown.map(([, message]) => message).join('; '));
      } else {
        setFormError(error instanceof Error ? error.message : String(error));
      }
      if (changeReason !== undefined) setAsking(false);
    }
  };
  const confirm = () => {
    if (!check()) return;
    // somebody gave a reason already: changing it is an override, kept with its justification
    if (given.length > 0) setAsking(true);
    else void save();
  };

  const chosenLabel = (part: Part) => (part.reason ? (pathLabelOf(tree, part.reason) ?? part.reason) : null);
  const title = `Stop at ${DateTime.fromMillis(stop.startMs, { zone }).toFormat('HH:mm')} · ${durationLabel(stop.seconds)}`;
  return (
    <Modal
      title={title}
      onClose={onClose}
      closeable={!busy}
      wide
      testId="stop-reason-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={confirm} disabled={busy} data-testid="stop-reason-save">
            {given.length > 0 ? 'Change reason…' : 'Save reason'}
          </button>
        </>
      }
    >
      <div className="operator-dialog">
        {given.length > 0 ? (
          <p className="banner banner-info" data-testid="stop-reason-current">
            Given by {given[0].by}: {given.map((s) => s.label ?? s.reason).join(' then ')}. A change needs a reason.
          </p>
        ) : null}
        {formError ? <ErrorBanner message={formError} testId="stop-reason-error" /> : null}
        <h3 className="operator-dialog-step">{second ? `First part · ${clock(stop.startMs, zone)}–${clock(parts.at, zone)} · ${durationLabel(parts.firstSeconds)}` : 'What stopped the line?'}</h3>
        <ReasonPicker offered={offered} part={first} onChange={(part) => { setFirst(part); clearError('segments.0.reason'); }} testId="picker-1" />
        <ChosenLine label={chosenLabel(first)} error={errors['segments.0.reason']} testId="chosen-1" />
        <Field label="Comment (optional)" name="segments.0.comment" error={errors['segments.0.comment']}>
          <input value={first.comment} onChange={(e) => setFirst({ ...first, comment: e.target.value })} maxLength={2000} data-testid="stop-comment-1" />
        </Field>
        {second ? (
          <section className="split-section" data-testid="split-section">
            <h3 className="operator-dialog-step">Where the second reason begins</h3>
            <div className="split-controls">
              <input
                type="range"
                min={stop.startMs}
                max={stop.endMs}
                step={1000}
                value={parts.at}
                onChange={(e) => {
                  const at = splitParts(stop.startMs, stop.endMs, Number(e.target.value)).at;
                  setSplitAt(at);
                  setSplitText(clock(at, zone));
                }}
                aria-label="Split time"
                className="split-slider"
                data-testid="split-slider"
              />
              <Field label="Split at (HH:mm)" name="segments.1.start" error={errors['segments.1.start'] ?? errors['split']}>
                <input
                  value={splitText}
                  inputMode="numeric"
                  onChange={(e) => {
                    setSplitText(e.target.value);
                    const at = instantOfClock(e.target.value, stop.startMs, stop.endMs, midnight);
                    setErrors(({ split: _split, ...rest }) => (at === null && e.target.value.length >= 4 ? { ...rest, split: `give a time between ${clock(stop.startMs, zone)} and ${clock(stop.endMs, zone)}` } : rest));
                    if (at !== null) setSplitAt(at);
                  }}
                  className="split-time"
                  data-testid="split-time"
                />
              </Field>
            </div>
            <p className="split-parts" data-testid="split-parts">
              <span>First part {durationLabel(parts.firstSeconds)}</span>
              <span>Second part {durationLabel(parts.secondSeconds)}</span>
            </p>
            <h3 className="operator-dialog-step">Second part · {clock(parts.at, zone)}–{clock(stop.endMs, zone)} · {durationLabel(parts.secondSeconds)}</h3>
            <ReasonPicker offered={offered} part={second} onChange={(part) => { setSecond(part); clearError('segments.1.reason'); }} testId="picker-2" />
            <ChosenLine label={chosenLabel(second)} error={errors['segments.1.reason']} testId="chosen-2" />
            <Field label="Comment (optional)" name="segments.1.comment" error={errors['segments.1.comment']}>
              <input value={second.comment} onChange={(e) => setSecond({ ...second, comment: e.target.value })} maxLength={2000} data-testid="stop-comment-2" />
            </Field>
            <button type="button" className="button" onClick={() => setSecond(null)} data-testid="split-undo">
              One reason for the whole stop
            </button>
          </section>
        ) : stop.seconds >= 120 ? (
          <button type="button" className="button" onClick={() => setSecond({ path: [], reason: null, comment: '' })} data-testid="split-stop">
            Split this stop…
          </button>
        ) : null}
      </div>
      {asking ? (
        <ReasonDialog
          title="Change a reason somebody gave"
          confirmLabel="Change reason"
          danger={false}
          onConfirm={async (reason) => {
            await save(reason);
          }}
          onClose={() => setAsking(false)}
        >
          <p>
            {given.map((s) => s.label ?? s.reason).join(' then ')} becomes {[chosenLabel(first), second ? chosenLabel(second) : null].filter(Boolean).join(' then ')}.
          </p>
        </ReasonDialog>
      ) : null}
    </Modal>
  );
}

function ChosenLine({ label, error, testId }: { label: string | null; error?: string; testId: string }) {
  if (error) {
    return (
      <p className="field-error chosen-line" data-testid={`${testId}-error`}>
        {error}
      </p>
    );
  }
  return (
    <p className={`chosen-line${label ? '' : ' muted'}`} data-testid={testId}>
      {label ? (
        <>
          Chosen: <strong>{label}</strong>
        </>
      ) : (
        'No reason chosen yet'
      )}
    </p>
  );
}
