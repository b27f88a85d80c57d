// The frame every screen lives in: header with the site and plant clock, navigation, and routes.
import { BrowserRouter, Navigate, NavLink, Route, Routes } from 'react-router-dom';
import type { ReactNode } from 'react';
import { LiveEventsProvider, useLiveStatus } from './hooks/live-events.js';
import { SiteProvider, useSite } from './hooks/site.js';
import { ToastProvider } from './components/toasts.js';
import { PlantClock } from './components/plant-clock.js';
import { AdminIcon, AnalyticsIcon, BoardIcon, CalendarIcon, MachinesIcon, OrdersIcon } from './components/icons.js';
import { AnalyticsPage } from './pages/analytics/analytics-page.js';
import { BoardPage } from './pages/board/board-page.js';
import { WorkOrdersPage } from './pages/work-orders/work-orders-page.js';
import { MachinesPage } from './pages/machines-page.js';
import { AdminPage } from './pages/admin/admin-page.js';
import { CalendarPage } from './pages/calendar/calendar-page.js';
import { NotFoundPage } from './pages/not-found-page.js';

const NAV: { to: string; label: string; icon: ReactNode }[] = [
  { to: '/board', label: 'Board', icon: <BoardIcon /> },
  { to: '/work-orders', label: 'Work orders', icon: <OrdersIcon /> },
  { to: '/machines', label: 'Machines', icon: <MachinesIcon /> },
  { to: '/analytics', label: 'Analytics', icon: <AnalyticsIcon /> },
  { to: '/calendar', label: 'Calendar', icon: <CalendarIcon /> },
  { to: '/admin', label: 'Admin', icon: <AdminIcon /> },
];

function LiveIndicator() {
  const status = useLiveStatus();
  const label = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live-indicator live-${status}`} data-testid="live-indicator" title={status === 'live' ? 'Updates from other users appear as they happen' : 'Live updates paused; trying to reconnect'}>
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function Header() {
  const site = useSite();
  return (
    <header className="app-header">
      <div className="brand">
        <NavLink to="/board" className="brand-name" aria-label="qmfg home">
          qmfg
        </NavLink>
        <span className="site-name" data-testid="site-name">
          {site.data?.name ?? (site.error ? 'Site unavailable' : '…')}
        </span>
      </div>
      <nav className="main-nav" aria-label="Main">
        {NAV.map((item) => (
          <NavLink key={item.to} to={item.to} className="nav-link" data-testid={`nav-${item.to.slice(1)}`}>
            {item.icon}
            <span>{item.label}</span>
          </NavLink>
        ))}
      </nav>
      <div className="header-status">
        <LiveIndicator />
        {site.data ? <PlantClock zone={site.data.timezone} /> : null}
      </div>
    </header>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <ToastProvider>
        <LiveEventsProvider>
          <SiteProvider>
            <div className="app">
              <Header />
              <main className="app-main">
                <Routes>
                  <Route path="/" element={<Navigate to="/board" replace />} />
                  <Route path="/board" element={<BoardPage />} />
                  <Route path="/work-orders" element={<WorkOrdersPage />} />
                  <Route path="/machines" element={<MachinesPage />} />
                  <Route path="/analytics" element={<AnalyticsPage />} />
                  <Route path="/calendar" element={<CalendarPage />} />
                  <Route path="/admin/*" element={<AdminPage />} />
                  <Route path="*" element={<NotFoundPage />} />
                </Routes>
              </main>
            </div>
          </SiteProvider>
        </LiveEventsProvider>
      </ToastProvider>
    </BrowserRouter>
  );
}
