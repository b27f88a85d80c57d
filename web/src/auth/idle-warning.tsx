// A minute before the idle timeout: say so, and let the user stay signed in.
import { Modal } from '../components/dialogs.js';
import { useAuth } from './auth.js';

export function IdleWarning() {
  const auth = useAuth();
  if (auth.idleWarningSeconds === null) return null;
  return (
    <Modal title="Still there?" onClose={() => void auth.stayActive()} testId="idle-warning">
      <p>
        For safety you will be signed out in <strong data-testid="idle-seconds">{auth.idleWarningSeconds}</strong> seconds without activity.
      </p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void auth.signOut()}>
          Sign out now
        </button>
        <button type="button" className="button button-primary" onClick={() => void auth.stayActive()} data-testid="stay-signed-in">
          Stay signed in
        </button>
      </div>
    </Modal>
  );
}
