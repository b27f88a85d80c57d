// GET /api/oee's answer as a stream of JSON text: the head, then each machine as it is computed, its
// series in slices. The answer is never one giant string and only one machine's results are held at
// a time; a client that goes away stops the computation (the stream is destroyed, the generator
// returns). The text is exactly JSON.stringify of the OeeResponse (oeeResponseSchema).
import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Executor } from '../../db/database.js';
import { machineResults, oeeHead, type OeePlan } from './service.js';

/** Buckets serialised per chunk (~100 KB of text). */
const BUCKETS_PER_CHUNK = 100;

export async function* oeeJsonChunks(db: Executor, plan: OeePlan, now = Date.now()): AsyncGenerator<string> {
  const head = JSON.stringify(oeeHead(plan));
  yield `${head.slice(0, -1)},"machines":[`;
  let first = true;
  for await (const result of machineResults(db, plan, now)) {
    const { series, ...rest } = result;
    const opening = JSON.stringify(rest);
    let text = `${first ? '' : ','}${opening.slice(0, -1)},"series":[`;
    first = false;
    for (let i = 0; i < series.length; i += BUCKETS_PER_CHUNK) {
      const slice = JSON.stringify(series.slice(i, i + BUCKETS_PER_CHUNK));
      text += `${i === 0 ? '' : ','}${slice.slice(1, -1)}`;
      yield text;
      text = '';
      await yieldToLoop();
    }
    yield `${text}]}`;
  }
  yield ']}';
}

export function oeeJsonStream(db: Executor, plan: OeePlan, now = Date.now()): Readable {
  return Readable.from(oeeJsonChunks(db, plan, now), { objectMode: false });
}
