import { useEffect, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';

/**
 * The event props of a button that acts only while it is held: pointer down or the Space bar held
 * presses; releasing, a cancelled pointer, losing focus, and the window losing focus or being hidden
 * all release. The button captures the pointer while pressed, so a hand that drifts off it or turns
 * the wheel does not hide what it shows (the share covers the window while held); the release is
 * still the button's, wherever the pointer is. Everything shown to one person at a time uses it (a share's
 * words, a typed passphrase), so they all let go the same way. `release` should be stable.
 */
export function useHold(press: () => void, release: () => void) {
  useEffect(() => {
    const onHidden = () => { if (document.hidden) release(); };
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('blur', release);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('blur', release);
    };
  }, [release]);
  const onKey = (down: boolean) => (e: KeyboardEvent) => {
    if (e.key !== ' ') return;
    e.preventDefault();
    if (!down) release();
    else if (!e.repeat) press();
  };
  return {
    onPointerDown: (e: PointerEvent<HTMLButtonElement>) => {
      e.preventDefault();
      e.currentTarget.focus();
      e.currentTarget.setPointerCapture(e.pointerId);
      press();
    },
    onPointerUp: release,
    onLostPointerCapture: release,
    onPointerCancel: release,
    onBlur: release,
    onKeyDown: onKey(true),
    onKeyUp: onKey(false),
    onContextMenu: (e: MouseEvent) => e.preventDefault(),
  };
}
