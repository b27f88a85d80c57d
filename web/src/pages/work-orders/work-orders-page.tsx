// The order book: every work order with search, filters and sortable columns, the same detail panel
// as the board, create / edit / delete, and spreadsheets in and out (import by file picker or by
// dropping the file on the page, the template, exports with the current filters).
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Product } from '../../../../src/features/plant/schemas.js';
import { listProducts } from '../../api/plant.js';
import {
  deleteWorkOrder, exportUrl, listWorkOrders, templateUrl, type WorkOrder, type WorkOrderFilters,
} from '../../api/orders.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { OrdersIcon } from '../../components/icons.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { waitForReplan } from '../../api/live.js';
import { useSite } from '../../hooks/site.js';
import { STATUS_LABEL, dueRisk, formatDue, formatInstant, formatQuantity, plannedReach, progressBasis, progressOf } from './format.js';
import { WorkOrderForm } from './work-order-form.js';
import { ImportDialog } from './import-dialog.js';
import { Can } from '../../auth/auth.js';
import { WorkOrderPanel } from './work-order-panel.js';
import './work-orders.css';
import { ReasonDialog } from '../../components/reason-dialog.js';

const LIVE = ['schedule', 'production', 'plant'];

type SortKey = 'lot' | 'product' | 'quantity' | 'due' | 'forecastEnd' | 'status' | 'late';
const SERVER_SORTS = new Set<SortKey>(['lot', 'product', 'due', 'forecastEnd']);
const STATUS_ORDER: Record<WorkOrder['status'], number> = { 'in-progress': 0, held: 1, planned: 2, parked: 3, done: 4 };
const STATUSES = ['open', 'parked', 'planned', 'in-progress', 'held', 'done'] as const;
type StatusFilter = (typeof STATUSES)[number];

const LATE_ORDER = (wo: WorkOrder) => (wo.late ? 2 : wo.lateRisk ? 1 : 0);
const lotCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const byTime = (a: string | null, b: string | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : Date.parse(a) - Date.parse(b));

function compare(key: SortKey, a: WorkOrder, b: WorkOrder): number {
  switch (key) {
    case 'lot':
      return lotCollator.compare(a.lot, b.lot);
    case 'product':
      return a.productName.localeCompare(b.productName);
    case 'quantity':
      return a.quantity - b.quantity;
    case 'due':
      return byTime(a.due, b.due);
    case 'forecastEnd':
      return byTime(a.forecastEnd, b.forecastEnd);
    case 'status':
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case 'late':
      return LATE_ORDER(b) - LATE_ORDER(a);
  }
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function WorkOrdersPage() {
  const site = useSite();
  const products = useResource(listProducts, [], ['plant']);
  const zone = site.data?.timezone;
  const failure = site.error ?? (products.data ? undefined : products.error);
  if (failure) {
    return (
      <div className="page" data-testid="page-work-orders">
        <LoadFailed error={failure} onRetry={() => void Promise.all([site.reload(), products.reload()])} />
      </div>
    );
  }
  if (!zone || !products.data) {
    return (
      <div className="page" data-testid="page-work-orders">
        <Spinner label="Loading work orders…" />
      </div>
    );
  }
  return <WorkOrdersScreen zone={zone} products={products.data} />;
}

function WorkOrdersScreen({ zone, products }: { zone: string; products: Product[] }) {
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const [searchText, setSearchText] = useState(params.get('search') ?? '');
  const search = useDebounced(searchText.trim(), 250);
  const product = params.get('product') ?? '';
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as StatusFilter) : '';
  const late = (['true', 'false', 'risk'] as const).find((v) => v === params.get('late')) ?? '';
  const sort = (['lot', 'product', 'quantity', 'due', 'forecastEnd', 'status', 'late'] as const).find((k) => k === params.get('sort')) ?? 'due';
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    if ((params.get('search') ?? '') !== search) setParam('search', search);
    // only the settled search text goes to the URL: params and setParam are left out on purpose
  }, [search]);

  const filters: WorkOrderFilters = {
    search: search || undefined,
    product: product || undefined,
    status: status || undefined,
    late: late || undefined,
    ...(SERVER_SORTS.has(sort) ? { sort: sort as 'lot' | 'product' | 'due' | 'forecastEnd', dir } : {}),
  };
  const filterKey = JSON.stringify(filters);
  const list = useResource(() => listWorkOrders(filters), [filterKey], LIVE, waitForReplan);
  const rows = useMemo(() => {
    const sorted = [...(list.data ?? [])].sort((a, b) => compare(sort, a, b) || lotCollator.compare(a.lot, b.lot));
    return dir === 'desc' ? sorted.reverse() : sorted;
  }, [list.data, sort, dir]);

  // ?open=<lot> opens that lot's panel (links from the Trace page)
  const [openLot, setOpenLot] = useState<string | null>(params.get('open'));
  const [editing, setEditing] = useState<WorkOrder | 'new' | null>(null);
  const [deleting, setDeleting] = useState<WorkOrder | null>(null);
  const [importing, setImporting] = useState<File | null>(null);
  const [dropping, setDropping] = useState(false);
  const dragDepth = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const now = Date.now();

  const toggleSort = (key: SortKey) => {
    const next = new URLSearchParams(params);
    next.set('sort', key);
    next.set('dir', sort === key && dir === 'asc' ? 'desc' : 'asc');
    setParams(next, { replace: true });
  };

  // the dialog shows what the file would create; it imports only when the planner confirms
  const runImport = (file: File) => setImporting(file);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    dragDepth.current = 0;
    setDropping(false);
    const file = event.dataTransfer.files[0];
    if (file) runImport(file);
  };
  const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

  const anyFilter = Boolean(search || product || status || late);

  return (
    <div
      className={`page wo-page${dropping ? ' wo-page-dropping' : ''}`}
      data-testid="page-work-orders"
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        dragDepth.current += 1;
        setDropping(true);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!carriesFiles(e)) return;
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDropping(false);
      }}
      onDrop={onDrop}
    >
      <div className="page-header">
        <h1>Work orders</h1>
        <p className="page-subtitle">{list.data ? `${rows.length} ${anyFilter ? 'matching' : 'in total'}` : ''}</p>
        <div className="page-actions wo-actions-bar">
          <Can permission="orders:write">
            <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="wo-new">
              + New work order
            </button>
            <button type="button" className="button" onClick={() => fileInput.current?.click()} data-testid="wo-import-button" title="An .xlsx from the template or a CSV; you can also drop the file on this page">
              Import…
            </button>
          </Can>
          <input
            ref={fileInput}
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            className="visually-hidden"
            tabIndex={-1}
            data-testid="wo-import-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) runImport(file);
            }}
          />
          <a className="button" href={templateUrl} download data-testid="wo-template">
            Template
          </a>
          <a className="button" href={exportUrl('xlsx', filters)} download data-testid="wo-export-xlsx" title="The list as shown (with its filters) as an Excel workbook">
            Export .xlsx
          </a>
          <a className="button" href={exportUrl('csv', filters)} download data-testid="wo-export-csv" title="The list as shown (with its filters) as CSV">
            .csv
          </a>
        </div>
      </div>

      <div className="wo-filters" role="search">
        <label className="wo-filter wo-search">
          <span>Search</span>
          <input type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} placeholder="Lot, product, notes…" data-testid="wo-search" />
        </label>
        <label className="wo-filter">
          <span>Product</span>
          <select value={product} onChange={(e) => setParam('product', e.target.value)} data-testid="wo-filter-product">
            <option value="">All products</option>
            {products.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="wo-filter">
          <span>Status</span>
          <select value={status} onChange={(e) => setParam('status', e.target.value)} data-testid="wo-filter-status">
            <option value="">All</option>
            <option value="open">Open (not done)</option>
            {STATUSES.filter((s) => s !== 'open').map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s as WorkOrder['status']]}
              </option>
            ))}
          </select>
        </label>
        <label className="wo-filter">
          <span>Late</span>
          <select value={late} onChange={(e) => setParam('late', e.target.value)} data-testid="wo-filter-late">
            <option value="">All</option>
            <option value="true">Late only</option>
            <option value="risk">At risk (estimate)</option>
            <option value="false">Not late as planned</option>
          </select>
        </label>
        {anyFilter ? (
          <button
            type="button"
            className="link-button wo-clear"
            onClick={() => {
              setSearchText('');
              const next = new URLSearchParams();
              if (params.get('sort')) next.set('sort', sort);
              if (params.get('dir')) next.set('dir', dir);
              setParams(next, { replace: true });
            }}
            data-testid="wo-clear-filters"
          >
            Clear filters
          </button>
        ) : null}
        {list.loading && list.data ? <span className="spinner spinner-tiny" role="status" aria-label="Updating" /> : null}
      </div>

      {list.error ? <LoadFailed error={list.error} onRetry={list.reload} /> : null}
      {!list.data ? (
        list.error ? null : <Spinner label="Loading work orders…" />
      ) : rows.length === 0 ? (
        anyFilter ? (
          <EmptyState title="No work order matches" testId="wo-none-matching">
            <p>Change the search or the filters.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No work orders yet" icon={<OrdersIcon />} testId="wo-empty">
            <p>Create one, or import the order book from the template or a CSV (drop the file here).</p>
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
                New work order
              </button>
              <a className="button" href={templateUrl} download>
                Download the template
              </a>
            </div>
          </EmptyState>
        )
      ) : (
        <div className="table-wrap">
          <table className="table wo-table" data-testid="wo-table">
            <thead>
              <tr>
                <SortHeader label="Lot" column="lot" sort={sort} dir={dir} onSort={toggleSort} />
                <SortHeader label="Product" column="product" sort={sort} dir={dir} onSort={toggleSort} />
                <SortHeader label="Qty" column="quantity" sort={sort} dir={dir} onSort={toggleSort} numeric />
                <th scope="col">Progress</th>
                <SortHeader label="Due" column="due" sort={sort} dir={dir} onSort={toggleSort} />
                <SortHeader label="Forecast end" column="forecastEnd" sort={sort} dir={dir} onSort={toggleSort} />
                <SortHeader label="Status" column="status" sort={sort} dir={dir} onSort={toggleSort} />
                <SortHeader label="Late" column="late" sort={sort} dir={dir} onSort={toggleSort} />
              </tr>
            </thead>
            <tbody>
              {rows.map((wo) => {
                const risk = dueRisk(wo.due, wo.late, now, wo.lateRisk);
                const progress = progressOf(wo.produced, wo.quantity);
                return (
                  <tr key={wo.lot} className={`wo-row${wo.late ? ' wo-row-late' : ''}`} data-testid={`wo-row-${wo.lot}`} onClick={() => setOpenLot(wo.lot)}>
                    <td>
                      <button type="button" className="link-button wo-lot" onClick={() => setOpenLot(wo.lot)} data-testid={`wo-open-${wo.lot}`}>
                        {wo.lot}
                      </button>
                    </td>
                    <td>
                      <span className="product-cell">
                        <span className="colour-dot" style={{ background: wo.color }} aria-hidden="true" />
                        {wo.productName}
                      </span>
                    </td>
                    <td className="num">{formatQuantity(wo.quantity)}</td>
                    <td>
                      <span className="wo-progress-cell" title={progressBasis(wo)} data-testid={`wo-progress-${wo.lot}`}>
                        <span className="wo-mini-progress">
                          <span style={{ width: `${progress * 100}%`, background: wo.color }} />
                        </span>
                        <span className="small"> {Math.round(progress * 100)} %</span>
                        {wo.producedStep !== null ? <span className="small muted"> · {formatQuantity(wo.produced)} (step {wo.producedStep + 1})</span> : null}
                      </span>
                    </td>
                    <td className={risk === 'overdue' ? 'text-late' : undefined}>{formatDue(wo.due, zone, now)}</td>
                    <td className={wo.late ? 'text-late strong' : undefined}>
                      <PlannedReach wo={wo} zone={zone} now={now} />
                    </td>
                    <td>
                      <span className={`badge status-${wo.status}`}>{STATUS_LABEL[wo.status]}</span>
                    </td>
                    <td data-testid={`wo-late-${wo.lot}`}>
                      {wo.late ? (
                        <span className="badge badge-late">⚠ LATE</span>
                      ) : wo.lateRisk ? (
                        <span className="badge badge-at-risk" title={`Estimated to finish ${formatInstant(wo.estimatedEnd, zone, now)}, after the due date; its later steps are not planned yet`}>
                          ⚠ AT RISK
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {dropping ? (
        <div className="wo-drop-overlay" aria-hidden="true">
          <div className="wo-drop-card">Drop the .xlsx or CSV file to import it</div>
        </div>
      ) : null}

      {openLot ? (
        <WorkOrderPanel
          lot={openLot}
          zone={zone}
          onClose={() => {
            setOpenLot(null);
            if (params.has('open')) setParam('open', '');
          }}
          onChanged={() => void list.reload()}
          footer={(wo) => (
            <Can permission="orders:write">
              <button type="button" className="button button-danger-outline" onClick={() => setDeleting(wo)} data-testid="wo-delete">
                Delete
              </button>
              <button type="button" className="button button-primary" onClick={() => setEditing(wo)} data-testid="wo-edit">
                Edit
              </button>
            </Can>
          )}
        />
      ) : null}
      {editing ? (
        <WorkOrderForm
          workOrder={editing === 'new' ? undefined : editing}
          products={products}
          zone={zone}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            toast.success(created ? `Lot ${saved.lot} created; it waits in the parking lot` : `Lot ${saved.lot} saved`);
            void list.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <ReasonDialog
          title={`Delete lot ${deleting.lot}?`}
          confirmLabel="Delete work order"
          onClose={() => setDeleting(null)}
          onConfirm={async (reason) => {
            // the panel goes first: left open, it would refetch the lot on the delete's live event
            const reopen = openLot;
            setOpenLot(null);
            try {
              await deleteWorkOrder(deleting.lot, deleting.version, reason);
            } catch (error) {
              setOpenLot(reopen);
              throw error;
            }
            toast.success(`Lot ${deleting.lot} deleted`);
            void list.reload();
          }}
        >
          <p>
            Lot <strong>{deleting.lot}</strong> ({deleting.productName}, {formatQuantity(deleting.quantity)}) and its operations are removed from every machine queue.
          </p>
          <p>The audit trail keeps the record of it.</p>
        </ReasonDialog>
      ) : null}
      {importing ? <ImportDialog file={importing} onClose={() => setImporting(null)} onImported={() => void list.reload()} /> : null}
    </div>
  );
}

function PlannedReach({ wo, zone, now }: { wo: WorkOrder; zone: string; now: number }) {
  const reach = plannedReach(wo);
  if (!reach) return <span className="muted">—</span>;
  if (reach.complete) return <>{formatInstant(reach.at, zone, now)}</>;
  return (
    <span className="muted" title={`Only up to step ${reach.step + 1} of ${wo.operations.length} is planned; the estimate counts the rest at standard rate`}>
      step {reach.step + 1}: {formatInstant(reach.at, zone, now)}
      {wo.estimatedEnd ? (
        <span className={`wo-estimate${wo.lateRisk ? ' text-risk' : ''}`} data-testid={`wo-estimate-${wo.lot}`}>
          est. end {formatInstant(wo.estimatedEnd, zone, now)}
        </span>
      ) : null}
    </span>
  );
}

function SortHeader({ label, column, sort, dir, onSort, numeric = false }: {
  label: string;
  column: SortKey;
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (column: SortKey) => void;
  numeric?: boolean;
}) {
  const active = sort === column;
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={numeric ? 'num' : undefined}>
      <button type="button" className={`sort-button${active ? ' sort-active' : ''}`} onClick={() => onSort(column)} data-testid={`sort-${column}`}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
