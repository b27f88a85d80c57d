// Forecast end over time (issue 12 item 2): each recorded recommended forecast of the lot, plotted
// against when it was made, with the due date and the actual end as horizontal lines. A small SVG:
// the panel is narrow and the chart answers one question — did the forecast settle, and in time?
import type { ForecastHistoryRow } from '../../api/orders.js';
import { formatInstant } from './format.js';

const WIDTH = 320;
const HEIGHT = 140;
const PAD = 8;

export function ForecastChart({ rows, due, actualEnd, zone }: { rows: readonly ForecastHistoryRow[]; due: number | null; actualEnd: number | null; zone: string }) {
  if (rows.length === 0) return <p className="muted">No forecasts recorded yet.</p>;
  const xs = rows.map((row) => row.at);
  const ys = [...rows.map((row) => row.forecastEnd), ...rows.flatMap((row) => (row.standardEnd === null ? [] : [row.standardEnd])), ...(due === null ? [] : [due]), ...(actualEnd === null ? [] : [actualEnd])];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys, Math.min(...ys) + 1)];
  const x = (value: number) => PAD + ((value - x0) / (x1 - x0)) * (WIDTH - 2 * PAD);
  const y = (value: number) => HEIGHT - PAD - ((value - y0) / (y1 - y0)) * (HEIGHT - 2 * PAD);
  const line = (pick: (row: ForecastHistoryRow) => number | null) =>
    rows.flatMap((row) => {
      const value = pick(row);
      return value === null ? [] : [`${x(row.at).toFixed(1)},${y(value).toFixed(1)}`];
    }).join(' ');
  const last = rows[rows.length - 1];
  return (
    <figure className="wo-forecast-chart" data-testid="wo-forecast-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={`Forecast end over time; latest ${formatInstant(last.forecastEnd, zone)}`}>
        <polyline points={line((row) => row.standardEnd)} fill="none" stroke="#999" strokeDasharray="3 3" strokeWidth="1" />
        <polyline points={line((row) => row.forecastEnd)} fill="none" stroke="#2f6fde" strokeWidth="2" />
        {due !== null ? <line x1={PAD} x2={WIDTH - PAD} y1={y(due)} y2={y(due)} stroke="#c0392b" strokeWidth="1" /> : null}
        {actualEnd !== null ? <line x1={PAD} x2={WIDTH - PAD} y1={y(actualEnd)} y2={y(actualEnd)} stroke="#16a085" strokeWidth="1.5" /> : null}
      </svg>
      <figcaption className="muted">
        <span style={{ color: '#2f6fde' }}>recommended</span> · <span style={{ color: '#999' }}>standard</span>
        {due !== null ? <> · <span style={{ color: '#c0392b' }}>due {formatInstant(due, zone)}</span></> : null}
        {actualEnd !== null ? <> · <span style={{ color: '#16a085' }}>ended {formatInstant(actualEnd, zone)}</span></> : null}
      </figcaption>
    </figure>
  );
}
