import { StrictMode, useEffect } from 'react';
import { App } from './app/App';

/**
 * The page's one React tree, as main.tsx mounts it in the window and prerender.tsx renders it at
 * build time (issue #17): the same tree on both sides, so hydrating the built markup matches it
 * (useId's ids included). `onAttached` runs once React has attached, in an effect.
 */
export function Root({ onAttached }: { onAttached?: () => void }) {
  useEffect(() => {
    onAttached?.();
  }, [onAttached]);
  return (
    <StrictMode>
      <App />
    </StrictMode>
  );
}
