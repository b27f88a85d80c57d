// Forecast history (issue 12 item 2): what each method said about a lot's operation, recorded
// whenever the answer changed, so the work-order page can chart forecast end over time and the
// accuracy of each method can be measured once the lot finished. Instants are UTC epoch ms.
export interface ForecastHistoryTable {
  lot: string;
  step: number;
  machine_key: string;
  /** the moment the forecast was made as of */
  at: number;
  produced: number;
  remaining: number;
  standard_end: number | null;
  observed_end: number | null;
  observed_rate_per_hour: number;
  forecast_end: number;
  /** 'recommended' | 'standard' */
  method: string;
}
