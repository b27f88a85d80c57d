// Shift reports mailed at shift end (issue 13 item 5): after a shift ends, every line that ran in it
// and has subscribers gets its report mailed to them, through the alerts outbox and mail worker
// (one Message-ID per report and recipient, so a rerun — or a second instance — queues nothing new).
import type { Db } from '../../db/database.js';
import { MS_PER_HOUR } from '../../core/time.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { recipientsOf } from '../alerts/repository.js';
import { queueReportMail } from '../alerts/notices.js';
import type { AlertSettings } from '../alerts/engine.js';
import { shiftsOf } from '../operator-input/shifts.js';
import { cameraProduced } from '../operator-input/reconcile.js';
import { shiftReport, type ReportOptions } from './report.js';
import { shiftReportMail } from './report-files.js';

/** How far back ended shifts are still mailed (a server that was down over a shift end catches up). */
const LOOKBACK_MS = 6 * MS_PER_HOUR;

export async function queueShiftEndMails(db: Db, settings: AlertSettings, options: ReportOptions, now: number): Promise<number> {
  if (!settings.mail) return 0;
  const calendar = await loadCalendarSpec(db);
  const ended = shiftsOf(calendar, options.zone, now - LOOKBACK_MS, now).filter((s) => s.end <= now && s.end > now - LOOKBACK_MS);
  if (ended.length === 0) return 0;
  let queued = 0;
  for (const machine of await plantRepo.listMachines(db)) {
    if ((await recipientsOf(db, machine.key, machine.group, null)).length === 0) continue;
    for (const shift of ended) {
      if ((await cameraProduced(db, machine.key, shift)) === 0) continue;
      const report = await shiftReport(db, machine.key, shift.start, { ...options, now });
      const link = `${settings.publicUrl.replace(/\/$/, '')}/reports/shift/${machine.key}/${shift.start}`;
      const mail = shiftReportMail(report, link);
      queued += await db.transaction().execute((trx) => queueReportMail(trx, settings, { key: `shift-report:${machine.key}@${shift.start}`, machine, ...mail }, now));
    }
  }
  return queued;
}
