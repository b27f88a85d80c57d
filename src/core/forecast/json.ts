// The forecast as `qmfg forecast --json` prints it and `GET /api/work-orders/:lot/forecast?at=` answers
// it (the contract): instants ISO 8601 with the plant's offset, to the second.
import { DateTime } from 'luxon';
import type { LotForecast } from './forecast.js';

export interface ForecastJson {
  at: string;
  produced: number;
  remaining: number;
  standard: { end: string | null };
  observed: { end: string | null; ratePerHour: number };
  forecast: { end: string; method: string };
}

export function forecastToJson(result: LotForecast, zone: string): ForecastJson {
  const iso = (ms: number) => DateTime.fromMillis(Math.round(ms / 1000) * 1000, { zone }).toISO({ suppressMilliseconds: true }) as string;
  return {
    at: iso(result.at),
    produced: result.produced,
    remaining: result.remaining,
    standard: { end: result.standard.end === null ? null : iso(result.standard.end) },
    observed: { end: result.observed.end === null ? null : iso(result.observed.end), ratePerHour: result.observed.ratePerHour },
    forecast: { end: iso(result.forecast.end), method: result.forecast.method },
  };
}
