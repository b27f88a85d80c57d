// The signed steps of a work order in its panel: each gate after a step (QC release, supervisor
// sign-off) with the signature that passed it, closing the work order, and every signature's
// manifestation — printed name, time, meaning — and whether it is still valid for the record as it is.
import { useState } from 'react';
import { ROLE_LABELS, isRole } from '../../../../src/core/permissions.js';
import type { WorkOrder } from '../../api/orders.js';
import { closeWorkOrder } from '../../api/auth.js';
import { getSignOffs, passGate } from '../../api/release-review.js';
import { GateReviewList, RecordedReviewLine, type ReviewState } from './gate-review.js';
import { useAuth } from '../../auth/auth.js';
import { SignatureDialog, SignatureLine } from '../../auth/signature-dialog.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';

type Signing = { kind: 'gate'; step: number; gateName: string; role: string } | { kind: 'close' };

/** Gates signed by quality are QC releases: they carry the audit-trail review (the server decides; this only shows it). */
const REVIEWED_ROLE = 'quality';

export function SignOffs({ wo, zone, onChanged }: { wo: WorkOrder; zone: string; onChanged: () => void }) {
  const auth = useAuth();
  const toast = useToast();
  const signOffs = useResource(() => getSignOffs(wo.lot), [wo.lot, wo.version], ['schedule']);
  const [signing, setSigning] = useState<Signing | null>(null);
  const [review, setReview] = useState<ReviewState>({ complete: false, items: [] });
  const role = auth.me?.user.role;
  const data = signOffs.data?.lot === wo.lot ? signOffs.data : undefined;

  const sign = async (signature: { password: string; meaning: 'approved' | 'reviewed' | 'released' | 'verified' | 'performed' | 'responsible' }, reason: string) => {
    if (!signing) return;
    if (signing.kind === 'gate') {
      await passGate(wo.lot, signing.step, signature, reason || undefined, review.items);
      toast.success(`${signing.gateName} after step ${signing.step + 1} signed`);
    } else {
      await closeWorkOrder(wo.lot, wo.version, signature, reason || undefined);
      toast.success(`Lot ${wo.lot} closed and signed`);
    }
    setSigning(null);
    void signOffs.reload();
    onChanged();
  };

  return (
    <section className="sign-offs" aria-labelledby="wo-signoffs-title" data-testid="wo-sign-offs">
      <h3 id="wo-signoffs-title" className="wo-section-title">
        Sign-offs
      </h3>
      {signOffs.error ? <LoadFailed error={signOffs.error} onRetry={signOffs.reload} /> : null}
      {!data ? (
        signOffs.error ? null : <Spinner inline />
      ) : (
        <>
          {data.gates.map((gate) => (
            <div className="sign-off-gate" key={gate.step} data-testid={`gate-${gate.step}`}>
              <div>
                <strong>{gate.gateName}</strong> after step {gate.step + 1} · signed by {isRole(gate.role) ? ROLE_LABELS[gate.role] : gate.role}
                {gate.signature ? (
                  <>
                    <SignatureLine signature={gate.signature} zone={zone} testId={`gate-${gate.step}-signature`} />
                    {gate.review ? <RecordedReviewLine review={gate.review} zone={zone} testId={`gate-${gate.step}-review`} /> : null}
                  </>
                ) : (
                  <div className="muted" data-testid={`gate-${gate.step}-state`}>
                    {gate.ready ? 'Open: waiting for its signature' : 'Closed until the step is done'}
                  </div>
                )}
              </div>
              {!gate.passedAt && gate.ready && auth.can('gates:sign') && role === gate.role ? (
                <button type="button" className="button button-primary" onClick={() => setSigning({ kind: 'gate', step: gate.step, gateName: gate.gateName, role: gate.role })} data-testid={`gate-${gate.step}-sign`}>
                  Sign {gate.gateName}…
                </button>
              ) : null}
            </div>
          ))}
          {data.signatures.map((s) => (
            <SignatureLine key={s.id} signature={s} zone={zone} testId={`wo-signature-${s.id}`} />
          ))}
          {auth.can('orders:close') && !data.signatures.some((s) => s.valid && s.action === 'close-work-order') ? (
            <div>
              <button type="button" className="button" onClick={() => setSigning({ kind: 'close' })} data-testid="wo-close-sign">
                Close work order and sign…
              </button>
            </div>
          ) : null}
        </>
      )}
      {signing ? (
        <SignatureDialog
          title={signing.kind === 'gate' ? `Sign the ${signing.gateName}` : `Close lot ${wo.lot}`}
          what={
            signing.kind === 'gate' ? (
              <>
                Lot <strong>{wo.lot}</strong> ({wo.productName}), step {signing.step + 1}: its result is released to the next step.
                {signing.role === REVIEWED_ROLE ? <GateReviewList lot={wo.lot} step={signing.step} zone={zone} onChange={setReview} /> : null}
              </>
            ) : (
              <>
                Lot <strong>{wo.lot}</strong> ({wo.productName}, {wo.quantity.toLocaleString('en-US')} units): every step not yet done is marked done now, and the record is signed as it stands.
              </>
            )
          }
          defaultMeaning={signing.kind === 'gate' ? 'released' : 'approved'}
          requireReason={signing.kind === 'close'}
          confirmLabel={signing.kind === 'gate' ? 'Sign and release' : 'Close and sign'}
          blocked={signing.kind === 'gate' && signing.role === REVIEWED_ROLE && !review.complete ? 'Mark every audit-trail item reviewed before signing the release.' : null}
          wide={signing.kind === 'gate' && signing.role === REVIEWED_ROLE}
          onSign={sign}
          onClose={() => setSigning(null)}
        />
      ) : null}
    </section>
  );
}
