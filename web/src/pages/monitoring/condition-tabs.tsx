// The two condition-monitoring screens share one header entry ("Condition"): a tab strip on each
// leads to the other — control charts of the channels, and machine health from the stops.
import { NavLink } from 'react-router-dom';
import './condition-tabs.css';

export function ConditionTabs() {
  return (
    <nav className="condition-tabs" aria-label="Condition monitoring">
      <NavLink to="/monitoring" className="condition-tab" data-testid="tab-monitoring">Control charts</NavLink>
      <NavLink to="/maintenance" className="condition-tab" data-testid="tab-maintenance">Machine health</NavLink>
    </nav>
  );
}
