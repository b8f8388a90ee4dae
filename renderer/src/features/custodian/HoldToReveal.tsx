import { useEffect } from 'react';
import { useStore } from '../../store';
import { useHold } from './useHold';

/**
 * Shows the share only while pressed: pointer down, or Space held. Release, leaving the button,
 * losing focus or hiding the window all hide it, and the words leave the DOM and the store.
 */
export function HoldToReveal({ custodian }: { custodian: string }) {
  const holding = useStore((s) => s.shareHeld);
  const { revealShare: reveal, hideShare: hide } = useStore.getState();

  const hold = useHold(() => { void reveal(custodian); }, hide);
  // Leaving the screen hides the share too.
  useEffect(() => hide, [hide]);

  return (
    <button type="button" className={`cer-hold${holding ? ' cer-hold--held' : ''}`} aria-pressed={holding}
      aria-describedby="cer-hold-help"
      {...hold}>
      {holding ? 'Showing — release to hide' : 'Hold to show my share'}
      <span id="cer-hold-help" className="cer-hold__help">Press and hold with the mouse, or hold the Space bar.</span>
    </button>
  );
}
