/**
 * Build-time entry (issue #17), never shipped: renders the first screen, Home, to HTML for
 * index.html's #root, so the window shows it before any script has run; main.tsx then hydrates it.
 * electron.vite.config.ts builds this for Node (Vite SSR) and calls `renderHome` while it builds
 * the renderer.
 *
 * It renders Home as Keyrite's window first shows it: the preload's bridge is there (nothing is
 * called during a render: every call is made in an effect, which a server render never runs) and the
 * text size is the default. main.tsx hydrates only a window in that state; any other starts afresh.
 */
import { renderToString } from 'react-dom/server';
import type { KeyriteApi } from './api';

export async function renderHome(): Promise<string> {
  const global = globalThis as { window?: { keyrite: KeyriteApi } };
  if (global.window !== undefined) throw new Error('renderHome runs in Node at build time, where there is no window.');
  // A bridge with no method: a call during the render would fail here, loudly, at build time.
  global.window = { keyrite: {} as KeyriteApi };
  try {
    // Imported while the bridge is there: the store reads its initial state when first imported.
    const { Root } = await import('./root');
    return renderToString(<Root />);
  } finally {
    delete global.window;
  }
}
