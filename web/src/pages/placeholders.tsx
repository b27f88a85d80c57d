// Screens that later issues build. Each says plainly what it will show, and where to go meanwhile.
import { Link } from 'react-router-dom';
import type { ReactNode } from 'react';
import { EmptyState } from '../components/feedback.js';
import { AnalyticsIcon, BoardIcon, OrdersIcon } from '../components/icons.js';

function Placeholder({ title, heading, icon, points, testId, children }: {
  title: string;
  heading: string;
  icon: ReactNode;
  points: string[];
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div className="page" data-testid={testId}>
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <EmptyState title={heading} icon={icon}>
        <ul className="empty-points">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        {children}
      </EmptyState>
    </div>
  );
}

export function BoardPage() {
  return (
    <Placeholder
      title="Board"
      heading="The production board is coming here"
      icon={<BoardIcon />}
      testId="page-board"
      points={[
        'One lane per machine, grouped by process group, with the running job and its queue.',
        'Forecast start and end of every operation, planned in the production calendar; late orders flagged.',
        'Drag and drop to load, insert, replace or park work orders.',
      ]}
    >
      <p className="empty-next">Until then, set up the plant:</p>
      <div className="button-row">
        <Link className="button button-primary" to="/machines">
          See machines
        </Link>
        <Link className="button" to="/calendar">
          Production calendar
        </Link>
      </div>
    </Placeholder>
  );
}

export function WorkOrdersPage() {
  return (
    <Placeholder
      title="Work orders"
      heading="Work orders will be listed here"
      icon={<OrdersIcon />}
      testId="page-work-orders"
      points={[
        'Every lot with its product, quantity, due date and notes.',
        'Progress per routing step: produced, good and scrap counts, forecast and actual start and end.',
        'Create, edit and close orders; export the list to Excel or CSV.',
      ]}
    >
      <div className="button-row">
        <Link className="button" to="/admin/products">
          Products and routings
        </Link>
      </div>
    </Placeholder>
  );
}

export function AnalyticsPage() {
  return (
    <Placeholder
      title="Analytics"
      heading="Equipment effectiveness will be analysed here"
      icon={<AnalyticsIcon />}
      testId="page-analytics"
      points={[
        'OEE per machine and period: availability, performance and quality.',
        'Stops by duration class with reasons, MTBF and MTTR, rates over time.',
        'Reports to Excel, like the ones the plant uses today.',
      ]}
    />
  );
}
