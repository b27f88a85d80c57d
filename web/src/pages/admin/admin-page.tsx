// Admin: the plant model, OEE profiles and users. One tab (and URL) per kind of record, so a link can
// point at a tab; each tab shows to the roles that may change what it holds.
import type { ReactElement } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import type { Permission } from '../../../../src/core/permissions.js';
import { useAuth } from '../../auth/auth.js';
import { ProcessGroupsTab } from './process-groups-tab.js';
import { MachinesTab } from './machines-tab.js';
import { ProductsTab } from './products-tab.js';
import { OeeProfilesTab } from './oee-profiles-tab.js';
import { UsersTab } from './users-tab.js';
import { TvScreensTab } from './tv-screens-tab.js';
import { AlertRulesTab } from './alert-rules-tab.js';
import { ReasonTreesTab } from './reason-trees-tab.js';
import { ChangeoversTab } from './changeovers-tab.js';
import { ChannelsTab } from './channels-tab.js';

const TABS: { path: string; label: string; permission: Permission; element: ReactElement }[] = [
  { path: 'process-groups', label: 'Process groups', permission: 'plant:write', element: <ProcessGroupsTab /> },
  { path: 'machines', label: 'Machines', permission: 'plant:write', element: <MachinesTab /> },
  { path: 'products', label: 'Products', permission: 'plant:write', element: <ProductsTab /> },
  { path: 'changeovers', label: 'Changeovers', permission: 'plant:write', element: <ChangeoversTab /> },
  { path: 'channels', label: 'Channels', permission: 'plant:write', element: <ChannelsTab /> },
  { path: 'oee-profiles', label: 'OEE profiles', permission: 'oee:write', element: <OeeProfilesTab /> },
  { path: 'users', label: 'Users', permission: 'users:admin', element: <UsersTab /> },
  { path: 'tv-screens', label: 'TV screens', permission: 'users:admin', element: <TvScreensTab /> },
  { path: 'alert-rules', label: 'Alert rules', permission: 'plant:write', element: <AlertRulesTab /> },
  { path: 'reason-trees', label: 'Reason trees', permission: 'plant:write', element: <ReasonTreesTab /> },
];

export function AdminPage() {
  const auth = useAuth();
  const tabs = TABS.filter((tab) => auth.can(tab.permission));
  const first = tabs[0]?.path;
  return (
    <div className="page" data-testid="page-admin">
      <div className="page-header">
        <h1>Admin</h1>
        <p className="page-subtitle">The plant model (process groups, machines, products with their routings and families, the changeover matrices), the reason trees of stops and scrap, OEE profiles, who may sign in, and the TV screens.</p>
      </div>
      <nav className="tabs" aria-label="Admin sections">
        {tabs.map((tab) => (
          <NavLink key={tab.path} to={`/admin/${tab.path}`} className="tab" data-testid={`tab-${tab.path}`}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={first ? <Navigate to={first} replace /> : <p className="muted">Nothing here for your role.</p>} />
        {tabs.map((tab) => (
          <Route key={tab.path} path={tab.path} element={tab.element} />
        ))}
        <Route path="*" element={first ? <Navigate to={`/admin/${first}`} replace /> : null} />
      </Routes>
    </div>
  );
}
