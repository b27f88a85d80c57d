// Lot finish forecasts (issue 12 item 2): standard, observed and the recommended method, as of any moment.
export { MachineUnits, type UnitCycle, type UnitSource } from './history.js';
export { MinuteUnits, type MinuteUnitsInput } from './minute-units.js';
export {
  DEFAULT_OBSERVED_HOURS,
  DEFAULT_RECOMMENDED,
  forecastLot,
  recommendedRate,
  startOfLastWorkingHours,
  type ForecastInput,
  type ForecastMethod,
  type LotForecast,
  type RecommendedParams,
} from './forecast.js';
export { accuracyReport, type AccuracyRow, type FinishedForecasts } from './accuracy.js';
