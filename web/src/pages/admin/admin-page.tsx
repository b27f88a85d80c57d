// Admin: the plant model. One tab (and URL) per kind of record, so a link can point at a tab.
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { ProcessGroupsTab } from './process-groups-tab.js';
import { MachinesTab } from './machines-tab.js';
import { ProductsTab } from './products-tab.js';

const TABS = [
  { path: 'process-groups', label: 'Process groups' },
  { path: 'machines', label: 'Machines' },
  { path: 'products', label: 'Products' },
];

export function AdminPage() {
  return (
    <div className="page" data-testid="page-admin">
      <div className="page-header">
        <h1>Admin</h1>
        <p className="page-subtitle">The plant model: process groups, their machines, and the products with their routings.</p>
      </div>
      <nav className="tabs" aria-label="Admin sections">
        {TABS.map((tab) => (
          <NavLink key={tab.path} to={`/admin/${tab.path}`} className="tab" data-testid={`tab-${tab.path}`}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="process-groups" replace />} />
        <Route path="process-groups" element={<ProcessGroupsTab />} />
        <Route path="machines" element={<MachinesTab />} />
        <Route path="products" element={<ProductsTab />} />
        <Route path="*" element={<Navigate to="/admin/process-groups" replace />} />
      </Routes>
    </div>
  );
}
