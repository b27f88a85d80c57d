// The bell in the header: open alerts nobody acknowledged yet, live from the 'alerts' topic.
import { NavLink } from 'react-router-dom';
import { unreadAlerts } from '../../api/alerts.js';
import { useResource } from '../../hooks/use-resource.js';

export function AlertBell() {
  const unread = useResource(unreadAlerts, [], ['alerts']);
  const count = unread.data?.unread ?? 0;
  return (
    <NavLink to="/alerts" className="alert-bell" data-testid="alert-bell" title={count ? `${count} open alert${count === 1 ? '' : 's'} not acknowledged` : 'Alerts'} aria-label={`Alerts: ${count} unread`}>
      <svg className="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 01-3.4 0" />
      </svg>
      {count > 0 ? (
        <span className="alert-bell-count" data-testid="alert-bell-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </NavLink>
  );
}
