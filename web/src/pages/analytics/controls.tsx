// What the dashboard shows: machines (grouped by process group), the window, the OEE profile and
// the bucket size. Every choice goes to the URL (see windows.ts).
import { useEffect, useId, useRef, useState } from 'react';
import type { Machine, ProcessGroup } from '../../../../src/features/plant/schemas.js';
import {
  GROUP_BYS, MAX_WINDOW_MS, MIN_WINDOW_MS, PRESET_LABELS, WINDOW_PRESETS, parseLocalInput, toLocalInput,
  type AnalyticsQuery, type GroupBy, type WindowPreset,
} from './windows.js';
import { MS_PER_HOUR } from '../../../../src/core/time.js';

export interface MachineSection {
  key: string;
  name: string;
  machines: Machine[];
}

/** Machines by process group, in the plant's order; machines of an unknown group last. */
export function machineSections(groups: readonly ProcessGroup[], machines: readonly Machine[]): MachineSection[] {
  const sorted = machines.slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  const ordered = groups.slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  const sections = ordered.map((group) => ({ key: group.key, name: group.name, machines: sorted.filter((m) => m.group === group.key) }));
  const orphans = sorted.filter((m) => !groups.some((g) => g.key === m.group));
  if (orphans.length) sections.push({ key: '_none', name: 'Other', machines: orphans });
  return sections.filter((section) => section.machines.length > 0);
}

export function MachinePicker({ sections, selected, onChange }: {
  sections: MachineSection[];
  selected: readonly string[];
  onChange: (machines: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const names = new Map(sections.flatMap((s) => s.machines.map((m) => [m.key, m.name] as const)));
  const summary = selected.length === 0 ? 'Pick machines' : selected.length <= 3 ? selected.map((key) => names.get(key) ?? key).join(', ') : `${selected.length} machines`;

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  // keep the plant's order whatever order the boxes were ticked in
  const order = sections.flatMap((s) => s.machines.map((m) => m.key));
  const inOrder = (keys: Set<string>) => order.filter((key) => keys.has(key));
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    onChange(inOrder(next));
  };
  const toggleGroup = (section: MachineSection) => {
    const next = new Set(selected);
    const all = section.machines.every((m) => next.has(m.key));
    for (const machine of section.machines) {
      if (all) next.delete(machine.key);
      else next.add(machine.key);
    }
    onChange(inOrder(next));
  };

  return (
    <div className="machine-picker" ref={root}>
      <span className="control-label" id={`${panelId}-label`}>
        Machines
      </span>
      <button
        type="button"
        className="button picker-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-labelledby={`${panelId}-label`}
        data-testid="machine-picker"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="picker-summary">{summary}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="picker-panel" id={panelId} role="group" aria-label="Machines to analyse" data-testid="machine-picker-panel">
          {sections.map((section) => {
            const count = section.machines.filter((m) => selected.includes(m.key)).length;
            return (
              <fieldset key={section.key} className="picker-group">
                <legend>
                  <label className="picker-option picker-group-toggle">
                    <input
                      type="checkbox"
                      checked={count === section.machines.length}
                      ref={(box) => {
                        if (box) box.indeterminate = count > 0 && count < section.machines.length;
                      }}
                      onChange={() => toggleGroup(section)}
                      data-testid={`machine-group-toggle-${section.key}`}
                    />
                    {section.name}
                  </label>
                </legend>
                {section.machines.map((machine) => (
                  <label key={machine.key} className="picker-option">
                    <input type="checkbox" checked={selected.includes(machine.key)} onChange={() => toggle(machine.key)} data-testid={`machine-option-${machine.key}`} />
                    {machine.name}
                    {machine.enabled ? null : <span className="muted small">(disabled)</span>}
                  </label>
                ))}
              </fieldset>
            );
          })}
          <div className="picker-footer">
            <button type="button" className="button button-primary" onClick={() => setOpen(false)} data-testid="machine-picker-done">
              Done
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}


/** Preset buttons and, for "Custom", the plant-local start and end (applied together). */
export function WindowPicker({ query, zone, onChange }: {
  query: AnalyticsQuery;
  zone: string;
  onChange: (patch: Partial<AnalyticsQuery>) => void;
}) {
  const [from, setFrom] = useState(query.from);
  const [to, setTo] = useState(query.to);
  useEffect(() => {
    setFrom(query.from);
    setTo(query.to);
  }, [query.from, query.to]);

  const fromMs = parseLocalInput(from, zone);
  const toMs = parseLocalInput(to, zone);
  const problem =
    fromMs === null || toMs === null ? 'Enter a start and an end.'
    : toMs <= fromMs ? 'The end must be after the start.'
    : toMs - fromMs < MIN_WINDOW_MS ? 'At least 1 hour.'
    : toMs - fromMs > MAX_WINDOW_MS ? 'At most 1 year.'
    : null;
  const changed = from !== query.from || to !== query.to;

  const choose = (preset: WindowPreset) => {
    if (preset !== 'custom') return onChange({ preset });
    // start a custom window from something sensible: the last 24 hours, whole hours
    if (!query.from || !query.to) {
      const end = Math.ceil(Date.now() / MS_PER_HOUR) * MS_PER_HOUR;
      onChange({ preset, from: toLocalInput(end - 24 * MS_PER_HOUR, zone), to: toLocalInput(end, zone) });
      return;
    }
    onChange({ preset });
  };

  return (
    <div className="window-picker">
      <span className="control-label">Window</span>
      <div className="an-segmented" role="radiogroup" aria-label="Time window">
        {WINDOW_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            role="radio"
            aria-checked={query.preset === preset}
            className={`an-segment${query.preset === preset ? ' an-segment-selected' : ''}`}
            onClick={() => choose(preset)}
            data-testid={`window-${preset}`}
          >
            {PRESET_LABELS[preset]}
          </button>
        ))}
      </div>
      {query.preset === 'custom' ? (
        <form
          className="custom-window"
          onSubmit={(event) => {
            event.preventDefault();
            if (!problem) onChange({ from, to });
          }}
        >
          <label className="inline-field">
            <span>From</span>
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="window-from" required />
          </label>
          <label className="inline-field">
            <span>To</span>
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="window-to" required />
          </label>
          <button type="submit" className="button button-primary" disabled={Boolean(problem) || !changed} data-testid="window-apply">
            Show
          </button>
          {problem ? (
            <span className="field-error" data-testid="window-error">
              {problem}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}

export function ProfileSelect({ value, profiles, onChange }: { value: string; profiles: readonly { name: string; displayName: string }[]; onChange: (profile: string) => void }) {
  const id = useId();
  return (
    <div className="select-control">
      <label className="control-label" htmlFor={id}>
        OEE profile
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid="profile-select">
        <option value="">Each machine's own</option>
        {profiles.map((profile) => (
          <option key={profile.name} value={profile.name}>
            {profile.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}

const GROUP_BY_LABELS: Record<GroupBy, string> = { '10min': '10 min', hour: 'Hour', shift: 'Shift', day: 'Day', week: 'Week', month: 'Month' };

export function GroupBySelect({ value, auto, onChange }: { value: GroupBy | 'auto'; auto: GroupBy; onChange: (groupBy: GroupBy | 'auto') => void }) {
  const id = useId();
  return (
    <div className="select-control">
      <label className="control-label" htmlFor={id}>
        Per
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as GroupBy | 'auto')} data-testid="group-by-select">
        <option value="auto">Auto ({GROUP_BY_LABELS[auto].toLowerCase()})</option>
        {GROUP_BYS.map((groupBy) => (
          <option key={groupBy} value={groupBy}>
            {GROUP_BY_LABELS[groupBy]}
          </option>
        ))}
      </select>
    </div>
  );
}
