import { lazy, Suspense, useEffect, useRef } from 'react';
import { HomeScreen } from '../features/home';
import { Banner, Button, Icon, Loading, type IconName } from '../components';
import { hasBridge, BRIDGE_MISSING, onEvent } from '../api';
import { useFields, type Route } from '../store';

const NAV: { route: Route; label: string; icon: IconName }[] = [
  { route: 'home', label: 'Home', icon: 'shield' },
  { route: 'ceremony', label: 'Ceremony', icon: 'key' },
  { route: 'recovery', label: 'Recovery', icon: 'refresh' },
  { route: 'audit', label: 'Audit', icon: 'check' },
  { route: 'inventory', label: 'Inventory', icon: 'folder' },
];

// Home is the first screen; the others (and their styles) load the first time they are opened, so
// the first render waits only for what Home needs (issue 17: initial JS and first render).
const CeremonyScreen = lazy(() => import('../features/ceremony').then((m) => ({ default: m.CeremonyScreen })));
const RecoveryScreen = lazy(() => import('../features/recovery').then((m) => ({ default: m.RecoveryScreen })));
const AuditScreen = lazy(() => import('../features/audit').then((m) => ({ default: m.AuditScreen })));
const InventoryScreen = lazy(() => import('../features/inventory').then((m) => ({ default: m.InventoryScreen })));

function Screen({ route }: { route: Route }) {
  switch (route) {
    case 'home': return <HomeScreen />;
    case 'ceremony': return <CeremonyScreen />;
    case 'recovery': return <RecoveryScreen />;
    case 'audit': return <AuditScreen />;
    case 'inventory': return <InventoryScreen />;
  }
}

export function App() {
  const { route, navigate, largeText, setLargeText, appInfo: info, loadAppInfo: loadInfo, refreshDevices, applyDevices } = useFields('route', 'navigate', 'largeText', 'setLargeText', 'appInfo', 'loadAppInfo', 'refreshDevices', 'applyDevices');
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    void loadInfo();
    void refreshDevices();
    return onEvent('devices/changed', applyDevices);
  }, [loadInfo, refreshDevices, applyDevices]);

  useEffect(() => {
    document.documentElement.dataset.textSize = largeText ? 'large' : 'normal';
  }, [largeText]);

  // After navigating, focus moves to the screen so keyboard and screen-reader users land there.
  function go(to: Route) {
    navigate(to);
    mainRef.current?.focus();
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <div className="brand">
          <Icon name="key" className="brand-mark" />
          <span className="brand-name">Keyrite</span>
          {info?.rehearsal ? <span className="brand-tag">Rehearsal</span> : null}
        </div>
        <nav aria-label="Screens" className="nav">
          <ul>
            {NAV.map((n) => (
              <li key={n.route}>
                <button
                  type="button"
                  className={`nav-link${route === n.route ? ' nav-active' : ''}`}
                  aria-current={route === n.route ? 'page' : undefined}
                  onClick={() => go(n.route)}
                >
                  <Icon name={n.icon} />
                  <span>{n.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <Button variant="quiet" icon={largeText ? 'check' : undefined} aria-pressed={largeText} onClick={() => setLargeText(!largeText)} className="text-size-toggle">
          Large text
        </Button>
      </header>
      {hasBridge() ? null : (
        <div className="content">
          <Banner tone="danger" title={BRIDGE_MISSING.message} live="alert">
            <p>{BRIDGE_MISSING.action}</p>
          </Banner>
        </div>
      )}
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        <Suspense fallback={<Loading label="Opening the screen…" />}>
          <Screen route={route} />
        </Suspense>
      </main>
    </div>
  );
}
