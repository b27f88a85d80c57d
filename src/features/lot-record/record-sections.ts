// Sections of the lot's records: the work order and its versions, the routing, the gate sign-offs,
// every electronic signature (manifestation and whether it is still valid), the audit trail of every
// record involved, and the list of data changed after its original entry.
import type { AuditEntry } from '../audit/repository.js';
import { dueDay } from '../../core/due.js';
import { actionLabel, describeChange, recordLabel } from '../audit/describe.js';
import * as authRepo from '../auth/repository.js';
import { viewSignatures } from '../auth/signatures.js';
import { reviewedSignOffs } from '../release-review/release.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../operator-input/shift-log.js';
import type { SignatureView } from '../auth/schemas.js';
import type { Cell, RecordSection } from './schemas.js';
import { localIsoTime, localTime, machineLabel, type LotBasis } from './basis.js';
import { lotAudit, lotShiftLogs } from './readers.js';
import { defineSection, table } from './section.js';

/** a due day reads as its date (stored as the end of that day, shown with its offset); a due time as the time */
function dueText(due: number | null, zone: string): string | null {
  if (due === null) return null;
  const { day, timeOfDay } = dueDay(due, zone);
  return timeOfDay ? localTime(due, zone) : `${day.toISODate()} (end of day: ${localTime(due, zone)})`;
}

const describeContext = (basis: LotBasis) => ({ zone: basis.zone, machineNames: basis.machineNames, productNames: basis.productNames });
const changeText = (entry: AuditEntry, basis: LotBasis) => describeChange(entry, describeContext(basis)).join('; ');

/** work-order changes that make a new version of what was entered (not the plan moving it around) */
const VERSION_ACTIONS = new Set(['create', 'update', 'import']);

export const workOrderSection = defineSection({
  key: 'work-order',
  title: 'Work order',
  read: (ctx, basis) => lotAudit(ctx, basis),
  build: (audit, basis) => {
    const wo = basis.workOrder;
    const versions = audit.filter((e) => e.entity === 'work-order' && VERSION_ACTIONS.has(e.action));
    return {
      facts: [
        { label: 'Lot', value: wo.lot },
        { label: 'Product', value: `${basis.product?.name ?? wo.product_key} (${wo.product_key})` },
        { label: 'Item number', value: basis.product?.itemNumber ?? null },
        { label: 'Quantity', value: wo.quantity },
        { label: 'Due', value: dueText(wo.due, basis.zone) },
        { label: 'Priority', value: wo.priority },
        { label: 'Notes', value: wo.notes || null },
        { label: 'Rate mode', value: wo.rate_mode ?? 'site default' },
        { label: 'Version', value: wo.version },
        { label: 'Created', value: localTime(wo.created_at, basis.zone) },
        { label: 'Last changed', value: localTime(wo.updated_at, basis.zone) },
        { label: 'Status', value: basis.operations.length > 0 && basis.operations.every((op) => op.state === 'done') ? 'done' : 'open' },
      ],
      tables: [
        table('versions', 'Versions (from the audit trail)', [
          ['at', 'When', 'time'], ['by', 'By', 'text'], ['action', 'Action', 'text'], ['change', 'Change', 'text'], ['reason', 'Reason', 'text'], ['changed', 'Changed after entry', 'flag'],
        ], versions.map((e, i) => [localTime(e.at, basis.zone), e.actor, actionLabel(e.action), changeText(e, basis), e.reason, i > 0 ? `changed after creation by ${e.actor}` : null])),
      ],
    };
  },
});

export const routingSection = defineSection({
  key: 'routing',
  title: 'Routing',
  read: async () => null,
  build: (_data, basis) => ({
    facts: [],
    tables: [
      table('routing', 'Routing steps', [
        ['step', 'Step', 'number'], ['group', 'Process group', 'text'], ['rate', 'Standard rate (units/h)', 'number'], ['setup', 'Setup (min)', 'number'],
        ['gate', 'Gate after', 'text'], ['role', 'Signed by role', 'text'], ['hours', 'Gate hours', 'number'],
      ], (basis.product?.routing ?? []).map((step, i) => [i + 1, step.group, step.ratePerHour, step.setupMinutes, step.gate?.name ?? null, step.gate?.role ?? null, step.gate?.hours ?? null])),
    ],
  }),
});

export const gatesSection = defineSection({
  key: 'gates',
  title: 'Gate sign-offs',
  // with the audit-trail review the release recorded (which items, by whom)
  read: (ctx, basis) => reviewedSignOffs(ctx.db, basis.lot),
  build: (signOffs, basis) => ({
    facts: [],
    tables: [
      table('gates', 'Gates', [
        ['step', 'After step', 'number'], ['gate', 'Gate', 'text'], ['role', 'Role', 'text'], ['passedAt', 'Passed at', 'time'], ['signer', 'Signed by', 'text'], ['meaning', 'Meaning', 'text'], ['valid', 'Signature valid', 'text'], ['review', 'Audit-trail review', 'text'],
      ], signOffs.gates.map((g) => [
        g.step + 1, g.gateName, g.role, localIsoTime(g.passedAt, basis.zone), g.signature?.printedName ?? null, g.signature?.meaning ?? null,
        g.signature ? (g.signature.valid ? 'valid' : `NO LONGER VALID: ${g.signature.invalidReason}`) : 'not passed',
        g.review
          ? `${g.review.itemCount === 0 ? 'review done, no exceptions' : `${g.review.itemCount} item${g.review.itemCount === 1 ? '' : 's'} reviewed`} by ${g.review.reviewer} at ${localIsoTime(g.review.reviewedAt, basis.zone)}${g.review.items.map((item) => `; ${item.what}${item.comment ? ` (${item.comment})` : ''}`).join('')}`
          : null,
      ])),
    ],
  }),
});

/** "approved by Jane Doe (jdoe, quality) at 2026-12-01 14:03:27 -08:00 for pass-gate": auth's manifestation, in plant time with the offset */
function manifestationIn(s: SignatureView, zone: string): string {
  return `${s.meaning} by ${s.printedName} (${s.username}, ${s.role}) at ${localIsoTime(s.signedAt, zone)} for ${s.action}${s.valid ? '' : ` — NO LONGER VALID: ${s.invalidReason}`}`;
}

export const signaturesSection = defineSection({
  key: 'signatures',
  title: 'Electronic signatures',
  read: async (ctx, basis) => {
    const logKeys = (await lotShiftLogs(ctx, basis)).map((log) => shiftLogKey(log.machine, log.shiftStart));
    const rows = [
      ...(await authRepo.listSignatures(ctx.db, { entity: 'work-order', entityKeys: [basis.lot] })),
      ...(await authRepo.listSignatures(ctx.db, { entity: 'operation-gate', entityKeys: basis.operations.map((op) => `${op.lot}/${op.step}`) })),
      ...(logKeys.length > 0 ? await authRepo.listSignatures(ctx.db, { entity: SHIFT_LOG_ENTITY, entityKeys: logKeys }) : []),
    ].sort((a, b) => Number(a.signed_at) - Number(b.signed_at) || Number(a.id) - Number(b.id));
    return viewSignatures(ctx.signedContent, ctx.db, rows);
  },
  build: (views, basis) => ({
    facts: [{ label: 'Signatures', value: views.length }, { label: 'No longer valid', value: views.filter((v) => !v.valid).length }],
    tables: [
      table('signatures', 'Signatures (manifestation per 21 CFR 11.50)', [
        ['record', 'Record', 'text'], ['action', 'Signed action', 'text'], ['printedName', 'Printed name', 'text'], ['username', 'User', 'text'], ['role', 'Role', 'text'],
        ['signedAt', 'Signed at', 'time'], ['meaning', 'Meaning', 'text'], ['version', 'Record version', 'number'], ['valid', 'Valid', 'text'], ['manifestation', 'Manifestation', 'text'],
        ['changed', 'Changed after entry', 'flag'],
      ], views.map((v) => [
        `${recordLabel(v.entity)} ${v.entityKey}`, actionLabel(v.action), v.printedName, v.username, v.role, localIsoTime(v.signedAt, basis.zone), v.meaning, v.recordVersion,
        v.valid ? 'valid' : 'NO LONGER VALID', manifestationIn(v, basis.zone), v.valid ? null : `signature no longer valid: ${v.invalidReason}`,
      ])),
    ],
  }),
});

export const auditSection = defineSection({
  key: 'audit-trail',
  title: 'Audit trail',
  read: (ctx, basis) => lotAudit(ctx, basis),
  build: (audit, basis) => ({
    facts: [{ label: 'Entries', value: audit.length }],
    tables: [
      table('audit', 'Audit trail of the work order, its operations, its stops and shift reports', [
        ['id', 'Entry', 'number'], ['at', 'When', 'time'], ['actor', 'User', 'text'], ['record', 'Record', 'text'], ['key', 'Key', 'text'], ['action', 'Action', 'text'],
        ['change', 'Change', 'text'], ['reason', 'Reason', 'text'], ['hash', 'Entry hash', 'text'],
      ], audit.map((e): Cell[] => [
        e.id, localTime(e.at, basis.zone), e.actor, recordLabel(e.entity), e.entity === 'stop' || e.entity === SHIFT_LOG_ENTITY ? keyLabel(e.entityKey, basis) : e.entityKey,
        actionLabel(e.action), changeText(e, basis), e.reason, e.hash,
      ])),
    ],
  }),
});

/** "line7@2026-12-01T22:03:00.000Z" → "Line 7 (line7) @ 2026-12-01 14:03:00 -08:00" */
function keyLabel(key: string, basis: LotBasis): string {
  const at = key.lastIndexOf('@');
  const time = at > 0 ? localIsoTime(key.slice(at + 1), basis.zone) : null;
  return time ? `${machineLabel(basis, key.slice(0, at))} @ ${time}` : key;
}

/** Every row any section flagged as changed after its original entry, in one list (what a reviewer looks at first). */
export function changesAfterEntry(sections: readonly RecordSection[]): RecordSection {
  const rows: Cell[][] = [];
  for (const section of sections) {
    for (const t of section.tables) {
      const flag = t.columns.findIndex((c) => c.kind === 'flag');
      if (flag < 0) continue;
      const when = t.columns.findIndex((c) => c.kind === 'time');
      for (const row of t.rows) {
        if (row[flag] === null) continue;
        rows.push([section.title, t.title, when >= 0 ? row[when] : null, row[flag]]);
      }
    }
  }
  return {
    key: 'changes-after-entry',
    title: 'Data changed after its original entry',
    facts: [{ label: 'Flagged items', value: rows.length }],
    tables: [table('changes', 'Flagged items', [['section', 'Section', 'text'], ['table', 'Table', 'text'], ['at', 'Time', 'time'], ['what', 'What changed', 'flag']], rows)],
  };
}
