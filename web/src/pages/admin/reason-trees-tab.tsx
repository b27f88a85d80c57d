// Admin → Reason trees: per process group, the tree its stops and scrap get their reasons from.
// Edited as a draft and saved as the next version (never rewritten: a reason leaves by being
// retired). A 400 shows its messages at the reasons they name; a 409 (someone saved meanwhile)
// says so and offers the latest version. The versions saved so far are listed with who and when.
import { GroupSelect, useChosenGroup } from '../../components/group-picker.js';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.js';
import { getReasonTree, getReasonTreeHistory, saveReasonTree } from '../../api/reason-trees.js';
import { ErrorBanner, LoadFailed, Spinner, StaleBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatInstant } from '../analytics/format.js';
import { useSite } from '../../hooks/site.js';
import { ReasonTreeEditor } from './reason-tree-editor.js';
import { allIds, errorsByNode, groupPaths, nodeAt, type NodeErrors, type NodePath, type ReasonNode } from './reason-tree-edit.js';
import './reason-trees.css';

const NO_ERRORS: NodeErrors = { byNode: new Map(), general: [] };

function History({ group, version }: { group: string; version: number }) {
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  // reloaded when a save makes a new version
  const history = useResource(() => getReasonTreeHistory(group), [group, version]);
  return (
    <section className="panel rt-history" data-testid="rt-history">
      <h3>Versions</h3>
      {history.error ? <LoadFailed error={history.error} onRetry={history.reload} /> : null}
      {history.data && history.data.length === 0 ? <p className="muted">Not saved yet: this group uses the starter tree until a reason is given or the tree is saved.</p> : null}
      {history.data && history.data.length > 0 ? (
        <table className="table compact-table">
          <thead>
            <tr>
              <th className="num">Version</th>
              <th>Saved by</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {history.data
              .slice()
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <tr key={v.version} data-testid={`rt-version-${v.version}`}>
                  <td className="num">{v.version}</td>
                  <td>{v.createdBy ?? '–'}</td>
                  <td>{v.createdAt ? formatInstant(Date.parse(v.createdAt), zone, 'ccc d LLL yyyy HH:mm') : '–'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function GroupTree({ group, groupName }: { group: string; groupName: string }) {
  const toast = useToast();
  const current = useResource(() => getReasonTree(group), [group]);
  const [draft, setDraft] = useState<ReasonNode[] | null>(null);
  const [selected, setSelected] = useState<NodePath | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<NodeErrors>(NO_ERRORS);
  const [stale, setStale] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const base = current.data;
  // a fresh tree from the server (the first load, a save, a reload) replaces the draft; what is
  // open and selected stays where the tree still has it
  const [loadedOnce, setLoadedOnce] = useState(false);
  useEffect(() => {
    if (!base) return;
    setDraft(base.tree.nodes);
    if (!loadedOnce) setExpanded(new Set(groupPaths(base.tree.nodes)));
    setLoadedOnce(true);
    setSelected((path) => (path && nodeAt(base.tree.nodes, path) ? path : null));
    setErrors(NO_ERRORS);
  }, [base]);
  const savedIds = useMemo(() => allIds(base?.tree.nodes ?? []), [base]);
  const dirty = !!base && !!draft && JSON.stringify(draft) !== JSON.stringify(base.tree.nodes);

  if (current.error) return <LoadFailed error={current.error} onRetry={current.reload} />;
  if (!base || !draft) return <Spinner label="Loading the reason tree…" />;

  const save = async () => {
    setSaving(true);
    setStale(null);
    try {
      const saved = await saveReasonTree(group, base.version, { nodes: draft });
      toast.success(saved.version === base.version ? 'Nothing changed' : `Reason tree of ${groupName} saved as version ${saved.version}`);
      current.update(() => saved);
    } catch (error) {
      if (error instanceof ApiError && error.isConflict) setStale(error.message);
      else if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        const sorted = errorsByNode(error.fields);
        setErrors(sorted);
        // open the groups down to each node with a message, so it can be seen
        setExpanded((open) => {
          const next = new Set(open);
          for (const key of sorted.byNode.keys()) {
            const parts = key.split('.');
            for (let i = 1; i < parts.length; i++) next.add(parts.slice(0, i).join('.'));
          }
          return next;
        });
        const count = [...sorted.byNode.values()].reduce((n, list) => n + list.length, 0) + sorted.general.length;
        toast.error(`The tree was not saved: ${count === 1 ? 'one problem, shown' : `${count} problems, shown`} at the reasons in red.`);
      } else toast.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const version = base.version === 0 ? 'The starter tree (not saved yet)' : `Version ${base.version}${base.createdBy ? `, saved by ${base.createdBy}` : ''}`;
  return (
    <>
      <div className="rt-toolbar">
        <p className="rt-version" data-testid="rt-version">
          {version}
          {dirty ? <span className="badge">unsaved changes</span> : null}
        </p>
        <div className="rt-actions">
          <button type="button" className="button" onClick={() => setExpanded(new Set(groupPaths(draft)))}>
            Expand all
          </button>
          <button type="button" className="button" onClick={() => setExpanded(new Set())}>
            Collapse all
          </button>
          <button type="button" className="button" disabled={!dirty || saving} onClick={() => { setDraft(base.tree.nodes); setErrors(NO_ERRORS); }} data-testid="rt-discard">
            Discard changes
          </button>
          <button type="button" className="button button-primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="rt-save">
            {saving ? 'Saving…' : 'Save as new version'}
          </button>
        </div>
      </div>
      <p className="muted rt-note">
        Reasons are never deleted: retire a reason to stop offering it — retired reasons stay on the stops that have them. Each save is a new version; stops keep
        the wording their reason had when it was given.
      </p>
      {stale ? (
        <StaleBanner message={stale} testId="rt" onReload={() => { setStale(null); void current.reload(); }} />
      ) : null}
      {errors.general.length ? <ErrorBanner message={errors.general.join(' · ')} testId="rt-general-errors" /> : null}
      <ReasonTreeEditor
        nodes={draft}
        savedIds={savedIds}
        errors={errors}
        selected={selected}
        expanded={expanded}
        onChange={(nodes, select) => {
          setDraft(nodes);
          if (select) {
            setSelected(select);
            // the new or moved node's group stays open
            setExpanded((open) => new Set([...open, ...select.slice(0, -1).map((_, i) => select.slice(0, i + 1).join('.'))]));
          }
        }}
        onSelect={setSelected}
        onToggle={(key) => setExpanded((open) => {
          const next = new Set(open);
          if (next.has(key)) next.delete(key);
          else next.add(key);
          return next;
        })}
      />
      <History group={group} version={base.version} />
    </>
  );
}

export function ReasonTreesTab() {
  const { groups, picked: group, chosen, groupName, setGroup } = useChosenGroup();
  return (
    <section data-testid="admin-reason-trees">
      <div className="rt-group-picker">
        <label className="inline-field">
          Process group
          <GroupSelect groups={groups.data} value={chosen} onChange={setGroup} testId="rt-group" />
        </label>
        <p className="muted small">Each process group has its own tree of stop and scrap reasons; every reason counts under one loss category.</p>
      </div>
      {groups.error ? <LoadFailed error={groups.error} onRetry={groups.reload} /> : null}
      {groups.data && groups.data.length === 0 ? <p className="muted">No process groups yet: create one first.</p> : null}
      {chosen ? <GroupTree key={chosen} group={chosen} groupName={groupName} /> : groups.loading ? <Spinner /> : null}
    </section>
  );
}
