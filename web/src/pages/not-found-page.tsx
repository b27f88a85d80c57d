import { Link, useLocation } from 'react-router-dom';
import { EmptyState } from '../components/feedback.js';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <div className="page">
      <EmptyState title="No such page" testId="not-found">
        <p>
          There is nothing at <code>{location.pathname}</code>.
        </p>
        <Link className="button button-primary" to="/board">
          Go to the board
        </Link>
      </EmptyState>
    </div>
  );
}
