// The lot record (eDHR) of one lot as a reviewer reads it: every section's facts and tables as the
// server assembled them (the page shows the content the exports carry), items changed after their
// original entry marked, the content hash, and downloads of the PDF, .xlsx and JSON. Print-friendly.
import { Link, useParams } from 'react-router-dom';
import { getLotRecord, lotRecordFileUrl, type Cell, type RecordSection, type RecordTable } from '../../api/lot-record.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import './lot-record.css';

const text = (value: Cell) => (value === null ? '—' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : typeof value === 'number' ? value.toLocaleString('en-US') : value);

function Table({ table }: { table: RecordTable }) {
  const flag = table.columns.findIndex((c) => c.kind === 'flag');
  return (
    <div className="lr-table-wrap">
      <h3 className="lr-table-title">
        {table.title} <span className="lr-count">({table.rows.length})</span>
      </h3>
      {table.rows.length === 0 ? (
        <p className="lr-none">None.</p>
      ) : (
        <table className="lr-table" data-testid={`lr-table-${table.key}`}>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} className={c.kind === 'number' ? 'lr-num' : undefined} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i} className={flag >= 0 && row[flag] !== null ? 'lr-flagged' : undefined}>
                {row.map((cell, j) => (
                  <td key={j} className={table.columns[j].kind === 'number' ? 'lr-num' : table.columns[j].kind === 'time' ? 'lr-time' : undefined}>
                    {text(cell)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Section({ section }: { section: RecordSection }) {
  return (
    <section className="lr-section" aria-labelledby={`lr-${section.key}`} data-testid={`lr-section-${section.key}`}>
      <h2 id={`lr-${section.key}`}>{section.title}</h2>
      {section.facts.length > 0 ? (
        <dl className="lr-facts">
          {section.facts.map((fact) => (
            <div key={fact.label}>
              <dt>{fact.label}</dt>
              <dd>{text(fact.value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {section.tables.map((t) => (
        <Table key={t.key} table={t} />
      ))}
    </section>
  );
}

export function LotRecordPage() {
  const { lot = '' } = useParams();
  const record = useResource(() => getLotRecord(lot), [lot], ['schedule']);
  if (record.error) return <LoadFailed error={record.error} onRetry={record.reload} />;
  if (!record.data) return <Spinner label={`Assembling the record of lot ${lot}…`} />;
  const { content, contentHash, generatedAt } = record.data;
  const flagged = content.sections.find((s) => s.key === 'changes-after-entry')?.tables[0]?.rows.length ?? 0;
  return (
    <article className="lr-page" data-testid="lot-record">
      <header className="lr-head">
        <div>
          <p className="lr-crumb lr-no-print">
            <Link to="/work-orders">Work orders</Link> › lot {content.lot}
          </p>
          <h1>Lot record (eDHR) · lot {content.lot}</h1>
          <p className="lr-sub">
            Assembled {generatedAt} · plant time zone {content.zone} · every time with its UTC offset
          </p>
          <p className="lr-hash">
            Content SHA-256 <code data-testid="lr-hash">{contentHash}</code>
          </p>
          {flagged > 0 ? (
            <p className="lr-flag-note" data-testid="lr-flagged">
              {flagged} item{flagged === 1 ? '' : 's'} changed after the original entry — marked in the tables and listed at the end.
            </p>
          ) : null}
        </div>
        <div className="lr-actions lr-no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
          <a className="button" href={lotRecordFileUrl(content.lot, 'pdf')} download data-testid="lr-download-pdf">
            PDF
          </a>
          <a className="button" href={lotRecordFileUrl(content.lot, 'xlsx')} download data-testid="lr-download-xlsx">
            .xlsx
          </a>
          <a className="button" href={lotRecordFileUrl(content.lot, 'json')} download data-testid="lr-download-json">
            JSON
          </a>
        </div>
      </header>
      {content.sections.map((section) => (
        <Section key={section.key} section={section} />
      ))}
    </article>
  );
}
