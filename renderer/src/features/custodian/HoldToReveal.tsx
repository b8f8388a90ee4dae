import { useEffect, type KeyboardEvent } from 'react';
import { ceremonyStores, useShare } from '../../store/ceremony-stores';

/**
 * Shows the share only while pressed: pointer down, or Space held. Release, leaving the button,
 * losing focus or hiding the window all hide it, and the words leave the DOM and the store.
 */
export function HoldToReveal({ custodian }: { custodian: string }) {
  const holding = useShare((s) => s.holding);
  const { reveal, hide } = ceremonyStores().share.getState();

  useEffect(() => {
    const onHidden = () => { if (document.hidden) hide(); };
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('blur', hide);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('blur', hide);
      hide();
    };
  }, [hide]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== ' ') return;
    e.preventDefault();
    if (!e.repeat) void reveal(custodian);
  };
  const onKeyUp = (e: KeyboardEvent) => {
    if (e.key !== ' ') return;
    e.preventDefault();
    hide();
  };

  return (
    <button type="button" className={`cer-hold${holding ? ' cer-hold--held' : ''}`} aria-pressed={holding}
      aria-describedby="cer-hold-help"
      onPointerDown={(e) => { e.preventDefault(); e.currentTarget.focus(); void reveal(custodian); }}
      onPointerUp={hide} onPointerLeave={hide} onPointerCancel={hide} onBlur={hide}
      onKeyDown={onKeyDown} onKeyUp={onKeyUp} onContextMenu={(e) => e.preventDefault()}>
      {holding ? 'Showing — release to hide' : 'Hold to show my share'}
      <span id="cer-hold-help" className="cer-hold__help">Press and hold with the mouse, or hold the Space bar.</span>
    </button>
  );
}
