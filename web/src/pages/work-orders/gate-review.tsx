// The audit-trail review at QC release, inside the gate's signature dialog: every item the lot's
// trail shows (review by exception) with a checkbox and an optional comment; the signature can be
// given only once each is marked reviewed. After the release the gate shows "Reviewed N items".
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { REVIEW_KIND_LABELS, type GateReview, type RecordedReview } from '../../../../src/features/release-review/schemas.js';
import { getGateReview } from '../../api/release-review.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import './release-review.css';

export interface ReviewState {
  /** loaded, and every item marked reviewed */
  complete: boolean;
  items: { id: string; comment?: string }[];
}

const whenText = (iso: string, zone: string) =>
  new Date(iso).toLocaleString('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

export function GateReviewList({ lot, step, zone, onChange }: { lot: string; step: number; zone: string; onChange: (state: ReviewState) => void }) {
  const review = useResource(() => getGateReview(lot, step), [lot, step]);
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const data: GateReview | undefined = review.data;

  useEffect(() => {
    if (!data) return onChange({ complete: false, items: [] });
    onChange({
      complete: data.items.every((i) => checked[i.id]),
      items: data.items.filter((i) => checked[i.id]).map((i) => ({ id: i.id, ...(comments[i.id]?.trim() ? { comment: comments[i.id].trim() } : {}) })),
    });
    // onChange is the parent's state setter: only the review state decides when to report
  }, [data, checked, comments]);

  if (review.error) return <LoadFailed error={review.error} onRetry={review.reload} />;
  if (!data) return <Spinner inline />;
  if (data.items.length === 0) {
    return (
      <p className="rv-none" data-testid="rv-none">
        Audit-trail review: <strong>no exceptions</strong> for this lot. Signing records “review done, no exceptions”.
      </p>
    );
  }
  const done = data.items.filter((i) => checked[i.id]).length;
  return (
    <div className="rv-review" data-testid="rv-review">
      <p className="rv-intro">
        Review the lot’s audit trail before releasing it: <strong>{data.items.length}</strong> item{data.items.length === 1 ? ' needs' : 's need'} a look ({done} of {data.items.length} reviewed).
      </p>
      <ul className="rv-items">
        {data.items.map((item) => (
          <li key={item.id} className={`rv-item${checked[item.id] ? ' rv-item-done' : ''}`} data-testid="rv-item">
            <label className="rv-check">
              <input type="checkbox" checked={Boolean(checked[item.id])} onChange={(e) => setChecked((c) => ({ ...c, [item.id]: e.target.checked }))} data-testid="rv-item-check" />
              <span className="rv-kind">{REVIEW_KIND_LABELS[item.kind]}</span>
            </label>
            <div className="rv-what" data-testid="rv-item-what">{item.what}</div>
            <div className="rv-meta muted">
              {item.who} · <time dateTime={item.when}>{whenText(item.when, zone)}</time> ·{' '}
              <Link to={item.link} target="_blank" rel="noreferrer">
                open the record
              </Link>
            </div>
            <input
              type="text"
              className="rv-comment"
              placeholder="Comment (optional)"
              aria-label={`Comment on: ${item.what}`}
              value={comments[item.id] ?? ''}
              maxLength={1000}
              onChange={(e) => setComments((c) => ({ ...c, [item.id]: e.target.value }))}
              data-testid="rv-item-comment"
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Reviewed 3 items" under a released gate's signature, with the items and their comments. */
export function RecordedReviewLine({ review, zone, testId }: { review: RecordedReview; zone: string; testId: string }) {
  if (review.itemCount === 0) {
    return (
      <div className="rv-recorded" data-testid={testId}>
        Audit trail reviewed by {review.reviewer}: review done, no exceptions
      </div>
    );
  }
  return (
    <details className="rv-recorded" data-testid={testId}>
      <summary>
        Reviewed {review.itemCount} item{review.itemCount === 1 ? '' : 's'} of the audit trail · {review.reviewer} · {whenText(review.reviewedAt, zone)}
      </summary>
      <ul className="rv-recorded-items">
        {review.items.map((item) => (
          <li key={item.id}>
            <span className="rv-kind">{REVIEW_KIND_LABELS[item.kind]}</span> {item.what}
            {item.comment ? <span className="rv-recorded-comment"> — “{item.comment}”</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
