// The frame every screen lives in: header with the site and plant clock, navigation, and routes.
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { useEffect, useState, type ReactNode } from 'react';
import { LiveEventsProvider, useLiveStatus } from './hooks/live-events.js';
import { SiteProvider, useSite } from './hooks/site.js';
import { ToastProvider } from './components/toasts.js';
import { PlantClock } from './components/plant-clock.js';
import { AdminIcon, AnalyticsIcon, BoardIcon, CalendarIcon, MachinesIcon, OrdersIcon, ReportsIcon } from './components/icons.js';
import { AnalyticsPage } from './pages/analytics/analytics-page.js';
import { MaintenancePage } from './pages/maintenance/maintenance-page.js';
import { MonitoringPage } from './pages/monitoring/monitoring-page.js';
import { BoardPage } from './pages/board/board-page.js';
import { WorkOrdersPage } from './pages/work-orders/work-orders-page.js';
import { LotRecordPage } from './pages/lot-record/lot-record-page.js';
import { MachinesPage } from './pages/machines-page.js';
import { AdminPage } from './pages/admin/admin-page.js';
import { CalendarPage } from './pages/calendar/calendar-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { AuditPage } from './pages/audit/audit-page.js';
import { PeriodicReviewPage } from './pages/audit/periodic-review-page.js';
import { TracePage } from './pages/genealogy/trace-page.js';
import { TvPage } from './pages/tv/tv-page.js';
import { OperatorPage } from './pages/operator/operator-page.js';
import { AlertsPage } from './pages/alerts/alerts-page.js';
import { ReportsPage } from './pages/reports/reports-page.js';
import { ShiftReportPage } from './pages/reports/shift-report-page.js';
import { ExceptionsPage } from './pages/exceptions/exceptions-page.js';
import { ScenariosPage } from './pages/scenarios/scenarios-page.js';
import { ScenarioPage } from './pages/scenarios/scenario-page.js';
import { AlertBell } from './pages/alerts/alert-bell.js';
import { AuthProvider, useAuth } from './auth/auth.js';
import { LoginPage } from './auth/login-page.js';
import { ForcedPasswordChange } from './auth/password-form.js';
import { UserMenu } from './auth/user-menu.js';
import { IdleWarning } from './auth/idle-warning.js';
import { Spinner } from './components/feedback.js';
import type { Permission } from '../../src/core/permissions.js';
import './auth/auth.css';

const AuditIcon = () => (
  <svg className="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M9 4h6l1 2h3v15H5V6h3z" />
    <path d="M9 12l2 2 4-4" />
  </svg>
);

const MonitoringIcon = () => (
  <svg className="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M3 7h18M3 17h18" strokeDasharray="2 3" />
    <path d="M3 13l4-2 4 3 4-5 6 2" />
  </svg>
);

const OperatorIcon = () => (
  <svg className="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <rect x="4" y="3" width="16" height="18" rx="2" />
    <path d="M8 8h8M8 12h8M8 16h5" />
  </svg>
);

/** Each entry shows to users holding any of its permissions (the server refuses the rest anyway). */
const NAV: { to: string; label: string; icon: ReactNode; anyOf: Permission[] }[] = [
  { to: '/board', label: 'Board', icon: <BoardIcon />, anyOf: ['plant:read'] },
  { to: '/work-orders', label: 'Work orders', icon: <OrdersIcon />, anyOf: ['plant:read'] },
  { to: '/operator', label: 'Operator', icon: <OperatorIcon />, anyOf: ['production:report', 'shifts:sign'] },
  { to: '/machines', label: 'Machines', icon: <MachinesIcon />, anyOf: ['plant:read'] },
  { to: '/analytics', label: 'Analytics', icon: <AnalyticsIcon />, anyOf: ['plant:read'] },
  // control charts and machine health behind one entry (tabs on both pages): the header stays one line at 1920 px
  { to: '/monitoring', label: 'Condition', icon: <MonitoringIcon />, anyOf: ['plant:read'] },
  { to: '/calendar', label: 'Calendar', icon: <CalendarIcon />, anyOf: ['plant:read'] },
  { to: '/reports', label: 'Reports', icon: <ReportsIcon />, anyOf: ['shifts:sign', 'audit:read', 'orders:write'] },
  { to: '/audit', label: 'Audit', icon: <AuditIcon />, anyOf: ['audit:read'] },
  { to: '/admin', label: 'Admin', icon: <AdminIcon />, anyOf: ['plant:write', 'users:admin', 'oee:write'] },
];

function LiveIndicator() {
  const status = useLiveStatus();
  const label = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live-indicator live-${status}`} data-testid="live-indicator" title={status === 'live' ? 'Updates from other users appear as they happen' : 'Live updates paused; trying to reconnect'}>
      <span className="live-dot" aria-hidden="true" />
      <span className="live-label">{label}</span>
    </span>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round">
      {open ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
    </svg>
  );
}

function Header() {
  const site = useSite();
  const auth = useAuth();
  // on a phone the navigation folds behind a menu button (CSS decides when); choosing a page folds it again
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <header className={`app-header${menuOpen ? ' app-header-menu-open' : ''}`}>
      <div className="brand">
        <NavLink to="/board" className="brand-name" aria-label="qmfg home">
          qmfg
        </NavLink>
        <span className="site-name" data-testid="site-name">
          {site.data?.name ?? (site.error ? 'Site unavailable' : '…')}
        </span>
      </div>
      <button type="button" className="nav-menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((open) => !open)} aria-label={menuOpen ? 'Close the menu' : 'Menu'} title="Menu" data-testid="nav-menu">
        <MenuIcon open={menuOpen} />
      </button>
      <nav className="main-nav" id="main-nav" aria-label="Main">
        {NAV.filter((item) => item.anyOf.some((p) => auth.can(p))).map((item) => (
          <NavLink key={item.to} to={item.to} className="nav-link" data-testid={`nav-${item.to.slice(1)}`}>
            {item.icon}
            <span>{item.label}</span>
          </NavLink>
        ))}
      </nav>
      <div className="header-status">
        <LiveIndicator />
        <AlertBell />
        {site.data ? <PlantClock zone={site.data.timezone} /> : null}
        <UserMenu />
      </div>
    </header>
  );
}

/** The application for a signed-in user: live updates and the site only once there is a session. */
function SignedInApp() {
  return (
    <LiveEventsProvider>
      <SiteProvider>
        <div className="app">
          <Header />
          <main className="app-main">
            <Routes>
              <Route path="/" element={<Navigate to="/board" replace />} />
              <Route path="/login" element={<Navigate to="/board" replace />} />
              <Route path="/board" element={<BoardPage />} />
              <Route path="/work-orders" element={<WorkOrdersPage />} />
              <Route path="/work-orders/:lot/record" element={<LotRecordPage />} />
              <Route path="/exceptions" element={<ExceptionsPage />} />
              <Route path="/scenarios" element={<ScenariosPage />} />
              <Route path="/scenarios/:id" element={<ScenarioPage />} />
              <Route path="/machines" element={<MachinesPage />} />
              <Route path="/operator" element={<OperatorPage />} />
              <Route path="/operator/:machine" element={<OperatorPage />} />
              <Route path="/analytics" element={<AnalyticsPage />} />
              <Route path="/maintenance" element={<MaintenancePage />} />
              <Route path="/monitoring" element={<MonitoringPage />} />
              <Route path="/monitoring/:machine/:channel" element={<MonitoringPage />} />
              <Route path="/calendar" element={<CalendarPage />} />
              <Route path="/audit" element={<AuditPage />} />
              <Route path="/audit/periodic-review" element={<PeriodicReviewPage />} />
              <Route path="/trace" element={<TracePage />} />
              <Route path="/trace/:lot" element={<TracePage />} />
              <Route path="/alerts" element={<AlertsPage />} />
              <Route path="/reports" element={<ReportsPage />} />
              <Route path="/reports/shift/:machine/:shift" element={<ShiftReportPage />} />
              <Route path="/admin/*" element={<AdminPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </main>
          <IdleWarning />
        </div>
      </SiteProvider>
    </LiveEventsProvider>
  );
}

function AuthGate() {
  const auth = useAuth();
  if (auth.status === 'loading') return <Spinner label="Starting…" />;
  if (auth.status === 'signed-out' || !auth.me) return <LoginPage />;
  if (auth.me.user.mustChangePassword) return <ForcedPasswordChange />;
  return <SignedInApp />;
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        {/* the wall screen: its own page, outside the shell and a person's sign-in (a TV device token) */}
        <Route path="/tv" element={<TvPage />} />
        <Route
          path="*"
          element={
            <ToastProvider>
              <AuthProvider>
                <AuthGate />
              </AuthProvider>
            </ToastProvider>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}
