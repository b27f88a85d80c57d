// Capable-to-promise in the new-work-order form: as soon as a product and a quantity are entered,
// when the order could be finished if it were ordered now — with the plan as it is, and if it went
// ahead of jobs that have slack (no other order made late).
import { useEffect, useState } from 'react';
import { askPromise, type PromiseAnswerView } from '../../api/orders.js';
import { formatInstant } from './format.js';

const ASK_AFTER_MS = 400;

export function PromiseHint({ product, quantity, zone }: { product: string; quantity: number | null; zone: string }) {
  const [answer, setAnswer] = useState<PromiseAnswerView | null>(null);
  const [state, setState] = useState<'idle' | 'asking' | 'failed'>('idle');

  useEffect(() => {
    setAnswer(null);
    if (!product || quantity === null || !(quantity > 0)) {
      setState('idle');
      return;
    }
    let current = true;
    setState('asking');
    const timer = setTimeout(() => {
      askPromise(product, quantity).then(
        (result) => {
          if (!current) return;
          setAnswer(result);
          setState('idle');
        },
        () => current && setState('failed'),
      );
    }, ASK_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [product, quantity]);

  if (state === 'idle' && answer === null) return null;
  return (
    <div className="span-2 promise-hint" data-testid="wo-promise" aria-live="polite">
      <strong>If ordered now</strong>
      {state === 'asking' ? <span className="muted"> — working out when it could be done…</span> : null}
      {state === 'failed' ? <span className="muted"> — could not work it out just now.</span> : null}
      {answer ? (
        <ul>
          <li data-testid="wo-promise-untouched">
            done by <strong>{answer.untouched.end ? formatInstant(answer.untouched.end, zone) : 'not within the planning horizon'}</strong> with the plan as it
            is{answer.untouched.steps.length > 0 ? ` (${answer.untouched.steps.map((s) => s.machine).join(' → ')})` : ''}
          </li>
          {answer.resequenced.end !== answer.untouched.end ? (
            <li data-testid="wo-promise-resequenced">
              by <strong>{answer.resequenced.end ? formatInstant(answer.resequenced.end, zone) : '—'}</strong> if it goes ahead of jobs with slack (
              {answer.resequenced.delayedWorkOrders} order{answer.resequenced.delayedWorkOrders === 1 ? '' : 's'} later, none past its due date)
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
