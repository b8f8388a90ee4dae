/** Line icons drawn inline (no icon font, no remote content). Decorative: text always goes with them. */
export type IconName = 'check' | 'cross' | 'warning' | 'info' | 'clock' | 'spinner' | 'dash' | 'key' | 'usb' | 'token' | 'shield' | 'folder' | 'print' | 'refresh' | 'network';

const PATHS: Record<IconName, string> = {
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6.5 6.5l11 11M17.5 6.5l-11 11',
  warning: 'M12 3.5L22 20.5H2L12 3.5zM12 10v5M12 17.6v.4',
  info: 'M12 2.8a9.2 9.2 0 100 18.4 9.2 9.2 0 000-18.4zM12 10.5v6M12 7.2v.4',
  clock: 'M12 2.8a9.2 9.2 0 100 18.4 9.2 9.2 0 000-18.4zM12 7v5.2l3.4 2.2',
  spinner: 'M12 3a9 9 0 109 9',
  dash: 'M6 12h12',
  key: 'M14.5 3.5a6 6 0 00-5.6 8.2L3 17.6V21h3.4v-2.2h2.2v-2.2h2.2l1.6-1.6A6 6 0 1014.5 3.5zM16.5 7.5v.1',
  usb: 'M12 2v15M12 17a2.5 2.5 0 100 5 2.5 2.5 0 000-5zM12 12l-4.5-2.5V6.5M12 14l4.5-2.5V8M6 5h3v3H6zM15.5 6.5a1.3 1.3 0 102.6 0 1.3 1.3 0 00-2.6 0',
  token: 'M4 7h16v10H4zM8 11h3M8 14h8M15 9.5h2',
  shield: 'M12 2.5l8 3v6c0 5-3.4 8.6-8 10-4.6-1.4-8-5-8-10v-6l8-3zM8.5 12l2.5 2.5 4.5-5',
  folder: 'M3 6.5h6.5l2 2H21v10.5H3z',
  print: 'M6 9V3h12v6M6 18H4v-8h16v8h-2M7 14h10v7H7z',
  refresh: 'M20 11a8 8 0 10-2.3 5.7M20 4v7h-7',
  network: 'M9 3h6v5H9zM12 8v4M5 12h14M5 12v4M19 12v4M2.5 16h5v5h-5zM16.5 16h5v5h-5z',
};

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={`icon icon-${name}${className ? ` ${className}` : ''}`} viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
