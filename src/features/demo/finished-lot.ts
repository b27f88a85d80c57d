// A finished lot for the demo, so that the lot record (eDHR) has a whole story to show at first
// start: strep-a-inline lot 158800 pouched on Dipstick C a week ago (a shift of camera cycles with
// their stops, ingested like any file), stop reasons given by the operator and one corrected by the
// lead with a justification (a change after entry, flagged in the record), the QC release signed by
// the quality user, kitted on Kitting 3 with the counts the lead reported, the work order closed and
// signed. Every step goes through the same services the screens call, on the demo's clock of that
// day. It needs signers, so it runs once the demo users exist (seedUsers); without a quality and a
// lead user it is left out. Idempotent: a database that has the lot keeps it.
import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import { generateDay } from '../../core/sensor/index.js';
import type { Who } from '../audit/who.js';
import * as authRepo from '../auth/repository.js';
import { signatureRecorder } from '../auth/signatures.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { closeOperation, createWorkOrder, loadOperation, replanPlant, setCounts, type OrdersContext } from '../orders/service.js';
import { closeWorkOrder, passGate } from '../orders/sign-off.js';
import { setStopReasons } from '../operator-input/stop-reasons.js';
import { ingestorFor } from '../machine-data/ingest.js';
import { bufferSource } from '../machine-data/sources.js';
import { SIGNED_CONTENT } from '../../server/signed-records.js';

export const FINISHED_LOT = '158800';
const PRODUCT = 'strep-a-inline';
const ITEM = '1094000';
const POUCHER = 'dip-c';
const KITTER = 'kit3';
const MS_PER_MINUTE = 60_000;

type Signer = authRepo.UserRow;
const activeOfRole = (users: Signer[], role: string) => users.find((u) => u.active === 1 && u.role === role);
const whoIs = (user: Signer | undefined): Who => ({ actor: user?.username ?? 'demo', source: 'qmfg demo' });
function signing(user: Signer, meaning: string): Who {
  return {
    ...whoIs(user),
    signature: { userId: user.id, username: user.username, printedName: user.display_name, role: user.role, meaning, auditEntity: 'work-order', record: signatureRecorder(SIGNED_CONTENT) },
  };
}

/** Seeds the finished demo lot when the demo plant and its signers are there and the lot is not; true when it did. */
export async function seedFinishedLot(db: Db, zone: string, now: number): Promise<boolean> {
  if (await ordersRepo.getWorkOrder(db, FINISHED_LOT)) return false;
  if (!(await plantRepo.getMachine(db, POUCHER)) || !(await plantRepo.getMachine(db, KITTER)) || !(await plantRepo.getProduct(db, PRODUCT))) return false;
  const users = await authRepo.listUsers(db);
  const quality = activeOfRole(users, 'quality');
  const lead = activeOfRole(users, 'lead');
  if (!quality || !lead) return false;
  const operator = activeOfRole(users, 'operator');
  const planner = activeOfRole(users, 'planner');

  const day = DateTime.fromMillis(now, { zone }).minus({ days: 7 }).startOf('day');
  let clock = day.set({ hour: 6 }).toMillis();
  const ctx: OrdersContext = { db, zone, now: () => clock };
  const at = (dayOffset: number, hour: number, minute = 0) => (clock = day.plus({ days: dayOffset }).set({ hour, minute }).toMillis());

  // the planner creates the order and loads it on the dipstick line
  at(0, 6);
  await createWorkOrder(ctx, whoIs(planner), { lot: FINISHED_LOT, product: PRODUCT, quantity: 50_000, due: day.plus({ days: 5 }).toISODate()!, priority: 0, notes: 'Demo: finished lot for the lot record', rateMode: null });
  await loadOperation(ctx, whoIs(planner), FINISHED_LOT, 0, { machine: POUCHER, mode: 'append' });

  // the first shift of camera cycles of the lot, through the ingest every file takes
  const shiftEnd = day.set({ hour: 14, minute: 45 }).toMillis();
  const lines = generateDay({ machine: POUCHER, date: day.toISODate()!, zone, seed: 7, lots: [{ item: ITEM, lot: FINISHED_LOT }], until: shiftEnd });
  await ingestorFor(db, zone).ingest({ machine: POUCHER, source: bufferSource(`PR${day.toFormat('yyyyMMdd')}.txt`, Buffer.from(`${lines.join('\n')}\n`, 'latin1'), `demo://${POUCHER}/finished-lot`), kind: 'demo', final: true });

  // reasons for the longest stops; the lead corrects one of them the next morning
  const state = await derivedRepo.longestGapMs(db, POUCHER);
  const stops = (await derivedRepo.gapRows(db, POUCHER, day.toMillis(), shiftEnd, state, 2 * MS_PER_MINUTE, 50)).sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 4);
  const reasons = ['format-change', 'pocket-jam', 'film-splice', 'waiting-material'];
  for (const [i, stop] of stops.entries()) {
    clock = stop.end + 5 * MS_PER_MINUTE;
    await setStopReasons(db, whoIs(operator), zone, POUCHER, stop.start, [{ reason: reasons[i] }], clock);
  }
  if (stops[1]) {
    at(1, 7, 10);
    await setStopReasons(db, { ...whoIs(lead), reason: 'the camera log shows the sealer stopped first, not the pockets' }, zone, POUCHER, stops[1].start, [{ reason: 'sealer-jam' }], clock);
  }

  // pouching closed at the end of the shift; QC releases it the next day
  at(0, 14, 50);
  await closeOperation(ctx, whoIs(lead), FINISHED_LOT, 0, undefined, 'pouching of the lot finished');
  at(1, 10);
  await passGate(ctx, signing(quality, 'released'), FINISHED_LOT, 0, { reason: undefined });

  // kitting: loaded, counted by the lead, and the work order closed and signed
  at(1, 11);
  await loadOperation(ctx, whoIs(planner), FINISHED_LOT, 1, { machine: KITTER, mode: 'append' });
  const pouched = (await ordersRepo.listOperations(db, [FINISHED_LOT]))[0];
  at(2, 15, 30);
  await setCounts(ctx, { ...whoIs(lead), reason: 'kitting count from the line tally' }, FINISHED_LOT, 1, { produced: pouched.good, good: pouched.good - 12, scrap: 12 });
  at(2, 16);
  await closeWorkOrder(ctx, signing(lead, 'approved'), FINISHED_LOT, { reason: 'kitting complete' });

  // the steps above planned the plant on their day's clock: plan it again as of now
  await replanPlant({ db, zone, now: () => now });
  return true;
}
