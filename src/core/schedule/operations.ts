// Operations on machine queues: their id ("lot/step") and the state a queue position gives them.

/** The id of one operation of a work order, as queues, the board and gate signatures name it: "lot/step". */
export function operationId(op: { lot: string; step: number }): string {
  return `${op.lot}/${op.step}`;
}

/** The lot and step of an operation id; the lot may itself contain "/", the step is after the last one. */
export function parseOperationId(id: string): { lot: string; step: number } {
  const at = id.lastIndexOf('/');
  return { lot: id.slice(0, at), step: Number(id.slice(at + 1)) };
}

/**
 * State of an operation on a machine queue: held stays held; the job at the head of the queue is
 * running once production has started on it; everything else waits (queued).
 */
export function queueState(op: { state: string; produced: number; actual_start: number | null }, position: number): 'held' | 'running' | 'queued' {
  if (op.state === 'held') return 'held';
  return position === 0 && (op.produced > 0 || op.actual_start !== null) ? 'running' : 'queued';
}
