// First: its module body asks the services for the account and the first screen's data, so the answers
// travel while React, i18n and the app below are loaded and rendered (start-calls.ts).
import './app/start-calls';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/i18n';
import { App } from './app/App';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
