import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { installRequestGuard } from './auth/request-guard.js';
import './styles.css';
// last: the phone and tablet rules override the others at equal specificity
import './responsive.css';

// before any request: CSRF token, background marking, and the signed-out signal on every call
installRequestGuard();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
