// The reason tree being edited: an indented, collapsible list of reasons (retired ones struck
// through), and beside it the selected reason's editor — rename, loss category, move, add a reason
// inside or after it, retire or restore. The server's field errors show at the node they name.
import { useState, type FormEvent } from 'react';
import { LOSS_CATEGORIES, LOSS_LABELS, type LossCategory } from '../../../../src/core/losses/index.js';
import {
  addChild, addSibling, isLeaf, moveNode, movedPath, newReasonId, nodeAt, pathKey, updateNode,
  type NodeErrors, type NodePath, type ReasonNode,
} from './reason-tree-edit.js';

export interface TreeEditorProps {
  nodes: ReasonNode[];
  /** ids of the tree as stored: those reasons may be on stops already */
  savedIds: ReadonlySet<string>;
  errors: NodeErrors;
  selected: NodePath | null;
  expanded: ReadonlySet<string>;
  onChange: (nodes: ReasonNode[], select?: NodePath) => void;
  onSelect: (path: NodePath) => void;
  onToggle: (key: string) => void;
}

function CategorySelect({ value, onChange, testId }: { value: LossCategory | undefined; onChange: (category: LossCategory) => void; testId: string }) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value as LossCategory)} data-testid={testId}>
      {value === undefined ? <option value="">Choose a loss category…</option> : null}
      {LOSS_CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {LOSS_LABELS[category]}
        </option>
      ))}
    </select>
  );
}

function TreeRows({ nodes, prefix, props, parentRetired }: { nodes: readonly ReasonNode[]; prefix: NodePath; props: TreeEditorProps; parentRetired: boolean }) {
  return (
    <ul className={prefix.length === 0 ? 'rt-tree' : 'rt-children'} role={prefix.length === 0 ? 'tree' : 'group'}>
      {nodes.map((node, index) => {
        const path = [...prefix, index];
        const key = pathKey(path);
        const leaf = isLeaf(node);
        const open = props.expanded.has(key);
        const retired = parentRetired || node.retired === true;
        const messages = props.errors.byNode.get(key) ?? [];
        const isSelected = props.selected !== null && pathKey(props.selected) === key;
        return (
          <li key={node.id} role="treeitem" aria-expanded={leaf ? undefined : open} aria-selected={isSelected}>
            <div className={`rt-row${isSelected ? ' rt-row-selected' : ''}${retired ? ' rt-retired' : ''}${messages.length ? ' rt-row-invalid' : ''}`}>
              {leaf ? (
                <span className="rt-toggle-space" aria-hidden="true" />
              ) : (
                <button type="button" className="rt-toggle" onClick={() => props.onToggle(key)} aria-label={`${open ? 'Collapse' : 'Expand'} ${node.label}`} data-testid={`rt-toggle-${node.id}`}>
                  {open ? '▾' : '▸'}
                </button>
              )}
              <button type="button" className="rt-label" onClick={() => props.onSelect(path)} data-testid={`rt-node-${node.id}`}>
                <span className="rt-label-text">{node.label || <em>(no name)</em>}</span>
                {leaf && node.category ? <span className={`rt-category rt-category-${node.category}`}>{LOSS_LABELS[node.category]}</span> : null}
                {!leaf ? <span className="muted small">{node.children?.length} reasons</span> : null}
                {node.retired ? <span className="badge badge-muted">retired</span> : null}
                {!props.savedIds.has(node.id) ? <span className="badge">new</span> : null}
              </button>
            </div>
            {messages.length ? (
              <ul className="rt-errors" data-testid={`rt-error-${node.id}`}>
                {messages.map((m) => (
                  <li key={`${m.field}:${m.message}`}>{m.message}</li>
                ))}
              </ul>
            ) : null}
            {!leaf && open ? <TreeRows nodes={node.children ?? []} prefix={path} props={props} parentRetired={retired} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

type AddWhere = 'inside' | 'after';

/** Adds a reason (a leaf with its category) or a group, inside the selected group or after the selected node. */
function AddForm({ where, nodes, onAdd, onCancel }: { where: AddWhere; nodes: readonly ReasonNode[]; onAdd: (node: ReasonNode) => void; onCancel: () => void }) {
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<'reason' | 'group'>('reason');
  const [category, setCategory] = useState<LossCategory | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = label.trim();
    if (!name) return setProblem('give the reason a name');
    if (kind === 'reason' && !category) return setProblem('choose the loss category the time counts under');
    onAdd(kind === 'reason' ? { id: newReasonId(nodes, name), label: name, category } : { id: newReasonId(nodes, name), label: name, children: [] });
  };
  return (
    <form className="rt-add-form" onSubmit={submit} data-testid="rt-add-form">
      <h4>{where === 'inside' ? 'New reason inside this group' : 'New reason after this one'}</h4>
      <label className="rt-field">
        Name
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} autoFocus data-testid="rt-add-label" />
      </label>
      <div className="rt-kind" role="radiogroup" aria-label="Kind">
        <label>
          <input type="radio" checked={kind === 'reason'} onChange={() => setKind('reason')} /> A reason people choose
        </label>
        <label>
          <input type="radio" checked={kind === 'group'} onChange={() => setKind('group')} data-testid="rt-add-group" /> A group of reasons
        </label>
      </div>
      {kind === 'reason' ? (
        <label className="rt-field">
          Loss category
          <CategorySelect value={category} onChange={setCategory} testId="rt-add-category" />
        </label>
      ) : null}
      {problem ? <p className="field-error">{problem}</p> : null}
      <div className="rt-actions">
        <button type="submit" className="button button-primary" data-testid="rt-add-confirm">
          Add
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function NodePanel({ props, path }: { props: TreeEditorProps; path: NodePath }) {
  const [adding, setAdding] = useState<AddWhere | null>(null);
  const node = nodeAt(props.nodes, path);
  if (!node) return null;
  const leaf = isLeaf(node);
  const saved = props.savedIds.has(node.id);
  // a stored leaf may be on stops already: it stays a leaf, so that those stops keep a reason with a category
  const mayHaveChildren = !leaf || !saved;
  const siblings = path.length === 1 ? props.nodes : (nodeAt(props.nodes, path.slice(0, -1))?.children ?? []);
  const index = path[path.length - 1];
  const messages = props.errors.byNode.get(pathKey(path)) ?? [];
  const errorOf = (field: string) => messages.find((m) => m.field === field)?.message;
  const change = (update: (n: ReasonNode) => ReasonNode) => props.onChange(updateNode(props.nodes, path, update));
  const move = (delta: -1 | 1) => props.onChange(moveNode(props.nodes, path, delta), movedPath(props.nodes, path, delta));
  const add = (child: ReasonNode) => {
    if (adding === 'inside') props.onChange(addChild(props.nodes, path, child), [...path, node.children?.length ?? 0]);
    else props.onChange(addSibling(props.nodes, path, child), [...path.slice(0, -1), index + 1]);
    setAdding(null);
  };
  return (
    <div className="rt-panel panel" data-testid="rt-panel">
      <h3>{leaf ? 'Reason' : 'Group'}: {node.label}</h3>
      <p className="muted small mono">id {node.id}</p>
      <label className="rt-field">
        Name
        <input value={node.label} onChange={(e) => change((n) => ({ ...n, label: e.target.value }))} maxLength={80} aria-invalid={errorOf('label') ? true : undefined} data-testid="rt-label-input" />
        {errorOf('label') ? <span className="field-error">{errorOf('label')}</span> : null}
      </label>
      {leaf ? (
        <label className="rt-field">
          Loss category
          <CategorySelect value={node.category} onChange={(category) => change((n) => ({ ...n, category }))} testId="rt-category-select" />
          {errorOf('category') ? <span className="field-error">{errorOf('category')}</span> : null}
        </label>
      ) : null}
      <div className="rt-actions">
        <button type="button" className="button" onClick={() => move(-1)} disabled={index === 0} data-testid="rt-move-up">
          ↑ Move up
        </button>
        <button type="button" className="button" onClick={() => move(1)} disabled={index >= siblings.length - 1} data-testid="rt-move-down">
          ↓ Move down
        </button>
      </div>
      <div className="rt-actions">
        <button type="button" className="button" onClick={() => setAdding('inside')} disabled={!mayHaveChildren} data-testid="rt-add-child">
          + Reason inside
        </button>
        <button type="button" className="button" onClick={() => setAdding('after')} data-testid="rt-add-sibling">
          + Reason after
        </button>
      </div>
      {!mayHaveChildren ? <p className="muted small">Stops may already have this reason, so it stays a reason: to refine it, retire it and add a group beside it.</p> : null}
      {adding ? <AddForm key={adding} where={adding} nodes={props.nodes} onAdd={add} onCancel={() => setAdding(null)} /> : null}
      <div className="rt-retire">
        {node.retired ? (
          <button type="button" className="button" onClick={() => change(({ retired: _r, ...rest }) => rest)} data-testid="rt-restore">
            Restore
          </button>
        ) : (
          <button type="button" className="button button-danger-outline" onClick={() => change((n) => ({ ...n, retired: true }))} data-testid="rt-retire">
            Retire{leaf ? '' : ' group'}
          </button>
        )}
        <p className="muted small">
          Reasons are never deleted. A retired reason is no longer offered, but retired reasons stay on the stops that have them{leaf ? '' : '; retiring a group retires the reasons in it'}.
        </p>
      </div>
    </div>
  );
}

export function ReasonTreeEditor(props: TreeEditorProps) {
  return (
    <div className="rt-layout">
      <div className="rt-tree-box panel" data-testid="rt-tree">
        {props.nodes.length === 0 ? <p className="muted">No reasons yet.</p> : <TreeRows nodes={props.nodes} prefix={[]} props={props} parentRetired={false} />}
      </div>
      {props.selected ? (
        <NodePanel key={pathKey(props.selected)} props={props} path={props.selected} />
      ) : (
        <div className="rt-panel panel muted">Choose a reason on the left to rename it, set its loss category, move or retire it, or add one.</div>
      )}
    </div>
  );
}
