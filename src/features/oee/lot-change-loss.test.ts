// A long stop nobody gave a reason that ends where the machine starts a new lot counts as changeover
// (setup) in the loss model (issue 15 item 1) — on the real Line 7 log of 12 Oct 2022, where lot
// 159159 gives way to 159053. The lot change is found in the file itself, not taken from the code.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';

interface Stop { startMs: number; endMs: number; countedSeconds: number; reason: string | null }
interface ParetoCategory { category: string; seconds: number; reasons: { reason: string | null; label: string; seconds: number; count: number }[] }

/** The instant of the first cycle of a real lot other than the first one in the file (plant-local times). */
function firstCycleOfSecondLot(text: string): { lot: string; at: number } {
  let firstLot: string | null = null;
  for (const line of text.split('\n')) {
    const [, lot, , , stamp] = line.split(',');
    if (!stamp || /^0+$/.test(lot)) continue;
    firstLot ??= lot;
    if (lot !== firstLot) return { lot, at: DateTime.fromFormat(stamp.trim(), 'LL/dd/yy HH:mm:ss.SSS', { zone: ZONE }).toMillis() };
  }
  throw new Error('the file has one lot only');
}

describe.each(DIALECTS)('lot changes in the loss model on %s', (dialect) => {
  let t: TestApp;
  const file = readFileSync(LINE7_DAYS[2]);
  const change = firstCycleOfSecondLot(file.toString('utf8'));
  const window = 'machine=line7&from=2022-10-12T06:30&to=2022-10-12T23:00';
  const inject = async (method: 'GET' | 'PUT', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const pareto = async (): Promise<ParetoCategory[]> => (await inject('GET', `/api/oee/losses?${window}`)).body.machines[0].pareto;
  const entry = (categories: ParetoCategory[], category: string, label: string) => categories.find((c) => c.category === category)?.reasons.find((r) => r.label === label);

  beforeAll(async () => {
    t = await createTestApp(dialect, 'lot_change_loss');
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20221012.txt', content: file }]) });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('counts the unexplained stop before the new lot as changeover, and gives way to the operator\'s reason', async () => {
    expect(change.lot).toBe('159053');
    const stops: Stop[] = (await inject('GET', `/api/stops?${window}&minSeconds=120`)).body.stops;
    // the stop that ends at the new lot's first cycle (the new set-up may start with a few empty pockets)
    const atChange = stops.filter((s) => s.endMs <= change.at && change.at - s.endMs <= 2 * 60_000);
    expect(atChange).toHaveLength(1);
    const [stop] = atChange;
    expect(stop.reason).toBeNull();

    const before = await pareto();
    const lotChange = entry(before, 'setup', 'Lot change (automatic)');
    expect(lotChange).toMatchObject({ count: 1 });
    expect(lotChange!.seconds).toBeCloseTo(stop.countedSeconds, 3);
    const noReason = entry(before, 'breakdown', 'No reason given')!.seconds;

    // an operator says it was a jam: it is a breakdown with that reason, no automatic lot change remains
    const tree = (await inject('GET', '/api/reason-trees/pouching-itrak')).body.tree.nodes;
    const leaves = (nodes: { id: string; category?: string; children?: unknown[] }[]): { id: string; category?: string }[] =>
      nodes.flatMap((n) => (n.children && n.children.length > 0 ? leaves(n.children as never) : [n]));
    const jam = leaves(tree).find((l) => l.category === 'breakdown')!;
    expect((await inject('PUT', `/api/stops/line7/${stop.startMs}/reasons`, { segments: [{ reason: jam.id }] })).status).toBe(200);
    const after = await pareto();
    expect(entry(after, 'setup', 'Lot change (automatic)')).toBeUndefined();
    expect(entry(after, 'breakdown', 'No reason given')!.seconds).toBeCloseTo(noReason, 3);
    const reasoned = after.find((c) => c.category === 'breakdown')!.reasons.find((r) => r.reason === jam.id)!;
    expect(reasoned.seconds).toBeCloseTo(stop.countedSeconds, 3);
  });
});
