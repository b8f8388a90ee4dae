import { createRoot, hydrateRoot } from 'react-dom/client';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/app.css';
import './styles/screens.css';
import { hasBridge } from './api';
import { useStore } from './store';
import { Root } from './root';

/** Marks the root once React has attached (the bench's "interactive" and the tests read it). */
function attached(root: HTMLElement): () => void {
  return () => {
    root.dataset.interactive = 'true';
  };
}

const root = document.getElementById('root');
if (root) {
  const page = <Root onAttached={attached(root)} />;
  // The build prerenders Home as the window first shows it, bridge present and normal text size
  // (prerender.tsx): hydrate that markup when this window is in that state, else render afresh
  // (createRoot replaces the markup), as a page opened outside Keyrite or with large text on.
  const prerendered = root.firstElementChild !== null;
  if (prerendered && hasBridge() && !useStore.getState().largeText) hydrateRoot(root, page);
  else createRoot(root).render(page);
}
