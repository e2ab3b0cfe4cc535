import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The main process may ask the store how many contacts it holds; there is no store yet (the
// local address book issue adds Dexie), so the truthful answer is zero.
window.cardinal.serveStore({ getStoreStats: async () => ({ contacts: 0 }) });
