import type { Kysely, Transaction } from 'kysely';
import type { ChangeoverRuleTable, MachineTable, ProcessGroupTable, ProductTable, RoutingStepTable, SiteTable } from './tables/plant.js';
import type { CalendarWeekTable, HolidayTable } from './tables/calendar.js';
import type { AuditHeadTable, AuditLogTable, AuditVerificationTable } from './tables/audit.js';
import type { OperationTable, WorkOrderTable } from './tables/orders.js';
import type { GatePassTable, OidcFlowTable, SessionTable, SignatureTable, UserTable } from './tables/auth.js';
import type {
  CycleTable, GapDayTable, GapTable, HourCountTable, IngestErrorTable, IngestFileTable, LotCountTable, MachineStateTable, MinuteCountTable,
  MachineReportedStateTable, MqttMessageTable, OeeProfileTable, OeeProfileVersionTable,
} from './tables/machine-data.js';
import type { ForecastHistoryTable } from './tables/forecasts.js';
import type { AlertOutboxTable, AlertRuleTable, AlertSubscriptionTable, AlertTable } from './tables/alerts.js';
import type { TvDeviceTable } from './tables/tv.js';
import type { MachineDowntimeTable, PlanScenarioTable } from './tables/scenarios.js';
import type { PlanBaselineShiftTable, PlanBaselineTable } from './tables/plan-baselines.js';
import type { PeriodicReviewTable, ReleaseReviewTable } from './tables/release-review.js';
import type { GenealogyConsumingGroupTable, KitConsumptionSetTable, LotConsumptionTable } from './tables/genealogy.js';
import type { JobLeaseTable } from './tables/jobs.js';
import type { SpcLimitsTable } from './tables/spc.js';
import type { MeasurementChannelTable, MeasurementFileTable, MeasurementMinuteTable, MeasurementSampleTable } from './tables/measurements.js';
import type { CrewEntryTable, ReasonTreeTable, ScrapEntryTable, ShiftHandoverAckTable, ShiftLogTable, StopReasonSegmentTable } from './tables/operator-reports.js';

/** The database as Kysely sees it: one entry per table. */
export interface Database {
  site: SiteTable;
  process_groups: ProcessGroupTable;
  machines: MachineTable;
  products: ProductTable;
  routing_steps: RoutingStepTable;
  changeover_rules: ChangeoverRuleTable;
  calendar_weeks: CalendarWeekTable;
  holidays: HolidayTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  // issue 16 item 1 (verification runs of the keyed audit chain)
  audit_verifications: AuditVerificationTable;
  work_orders: WorkOrderTable;
  operations: OperationTable;
  users: UserTable;
  sessions: SessionTable;
  oidc_flows: OidcFlowTable;
  signatures: SignatureTable;
  gate_passes: GatePassTable;
  cycles: CycleTable;
  ingest_files: IngestFileTable;
  ingest_errors: IngestErrorTable;
  gaps: GapTable;
  gap_days: GapDayTable;
  minute_counts: MinuteCountTable;
  hour_counts: HourCountTable;
  lot_counts: LotCountTable;
  machine_state: MachineStateTable;
  machine_reported_state: MachineReportedStateTable;
  mqtt_messages: MqttMessageTable;
  reason_trees: ReasonTreeTable;
  stop_reason_segments: StopReasonSegmentTable;
  scrap_entries: ScrapEntryTable;
  shift_logs: ShiftLogTable;
  crew_entries: CrewEntryTable;
  shift_handover_acks: ShiftHandoverAckTable;
  oee_profiles: OeeProfileTable;
  oee_profile_versions: OeeProfileVersionTable;
  forecast_history: ForecastHistoryTable;
  alert_rules: AlertRuleTable;
  alert_subscriptions: AlertSubscriptionTable;
  alerts: AlertTable;
  alert_outbox: AlertOutboxTable;
  // issue 12 item 3 (TV view)
  tv_devices: TvDeviceTable;
  // issue 15 item 3 (what-if scenarios)
  plan_scenarios: PlanScenarioTable;
  machine_downtime: MachineDowntimeTable;
  // issue 15 item 6 (plan against actual)
  plan_baseline_shifts: PlanBaselineShiftTable;
  plan_baselines: PlanBaselineTable;
  // issue 16 item 4 (audit-trail review at release, periodic review)
  release_reviews: ReleaseReviewTable;
  periodic_reviews: PeriodicReviewTable;
  // issue 16 item 3 (genealogy)
  genealogy_consuming_groups: GenealogyConsumingGroupTable;
  kit_consumption_sets: KitConsumptionSetTable;
  lot_consumptions: LotConsumptionTable;
  // issue 17 item 3 (one runner per background job)
  job_leases: JobLeaseTable;
  // issue 14 item 3 (frozen control limits)
  spc_limits: SpcLimitsTable;
  // issue 14 items 1–2 (measurement channels)
  measurement_channels: MeasurementChannelTable;
  measurement_samples: MeasurementSampleTable;
  measurement_minutes: MeasurementMinuteTable;
  measurement_files: MeasurementFileTable;
}

export type DialectName = 'sqlite' | 'postgres' | 'mysql';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: repositories accept both, services decide the boundary. */
export type Executor = Kysely<Database> | Transaction<Database>;
