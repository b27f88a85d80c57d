// The route's entry: the dashboard and its charting library load on first visit only, so that the
// board and the machines page (the screens on the shop-floor TVs) never download ECharts.
import { lazy, Suspense } from 'react';
import { Spinner } from '../../components/feedback.js';

const AnalyticsDashboard = lazy(() => import('./dashboard.js').then((module) => ({ default: module.AnalyticsDashboard })));

export function AnalyticsPage() {
  return (
    <Suspense
      fallback={
        <div className="page" data-testid="page-analytics-loading">
          <Spinner label="Loading analytics…" />
        </div>
      }
    >
      <AnalyticsDashboard />
    </Suspense>
  );
}
