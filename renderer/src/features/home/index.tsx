import { useEffect } from 'react';
import type { CeremonySummary, InventoryView } from '../../api';
import { Banner, Button, EmptyState, ErrorBanner, Loading, Panel, StatusBadge, formatDateTime } from '../../components';
import { KEY_STATE_LABELS } from '../inventory/states';
import { useFields } from '../../store';
import { DevicesPanel } from './DevicesPanel';
import { NetworkBanner } from './Network';
import { softwareTokensPhrase } from './software-token';

function RehearsalBanner() {
  const { appInfo: info, devices } = useFields('appInfo', 'devices');
  const rehearsalTokens = (devices?.slots ?? []).flatMap((s) => (s.token?.rehearsal && s.token.label ? [s.token] : []));
  const anyRehearsal = (devices?.slots ?? []).some((s) => s.token?.rehearsal);
  if (!info?.rehearsal && !anyRehearsal) return null;
  return (
    <Banner tone="rehearsal" title="Rehearsal mode" className="rehearsal-banner">
      <p>
        {rehearsalTokens.length > 0
          ? `${rehearsalTokens.length === 1 ? 'The token' : 'The tokens'} ${rehearsalTokens.map((t) => `“${t.label}”`).join(', ')} ${softwareTokensPhrase(rehearsalTokens)} made for practice.`
          : 'This session was started for practice.'}{' '}
        Keys made here are not protected by hardware and must never be used in production.
      </p>
    </Banner>
  );
}

const STATE_TEXT: Record<CeremonySummary['state'], { status: 'ok' | 'warning' | 'running'; text: string }> = {
  completed: { status: 'ok', text: 'Completed' },
  aborted: { status: 'warning', text: 'Aborted' },
  'in-progress': { status: 'running', text: 'In progress' },
};

function RecentPanel() {
  const { recentCeremonies: recent, recentCeremoniesError: error, verifyTranscript: verify, navigate } = useFields('recentCeremonies', 'recentCeremoniesError', 'verifyTranscript', 'navigate');
  return (
    <Panel title="Recent ceremonies" description="Transcripts kept on this laptop, newest first.">
      {error ? <ErrorBanner error={error} title="The ceremony list could not be read" /> : null}
      {!recent && !error ? <Loading label="Reading the ceremony folder" /> : null}
      {recent && recent.length === 0 ? (
        <EmptyState icon="folder" title="No ceremony yet">
          <p>Ceremonies you run on this laptop are listed here with their transcripts.</p>
        </EmptyState>
      ) : null}
      {recent && recent.length > 0 ? (
        <ul className="recent-list" aria-label="Recent ceremonies">
          {recent.map((c) => (
            <li key={c.dir} className="recent">
              <div className="recent-text">
                <p className="recent-title">{c.title}{c.rehearsal ? <span className="tag-rehearsal">Rehearsal</span> : null}</p>
                <p className="recent-meta">{formatDateTime(c.startedAt)} · {c.entries} entries · <span className="mono">{c.id}</span></p>
              </div>
              <StatusBadge status={STATE_TEXT[c.state].status}>{STATE_TEXT[c.state].text}</StatusBadge>
              <Button variant="secondary" onClick={() => { navigate('audit'); void verify(c.dir); }} aria-label={`Verify the transcript of ${c.title}`}>
                Verify
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}

function countByState(view: InventoryView) {
  const counts = new Map<string, number>();
  for (const k of view.keys) counts.set(k.state, (counts.get(k.state) ?? 0) + 1);
  return counts;
}

function InventorySummary() {
  const { inventory, inventoryError: error, navigate } = useFields('inventory', 'inventoryError', 'navigate');
  const now = new Date().toISOString().slice(0, 10);
  const due = inventory?.keys.filter((k) => k.rotationDue && k.rotationDue <= now && k.state === 'active').length ?? 0;
  return (
    <Panel
      title="Key inventory"
      description="Every key recorded in the transcripts on this laptop."
      actions={<Button variant="quiet" onClick={() => navigate('inventory')}>Open inventory</Button>}
    >
      {error ? <ErrorBanner error={error} title="The inventory could not be built" /> : null}
      {!inventory && !error ? <Loading label="Building the inventory" /> : null}
      {inventory && inventory.keys.length === 0 ? (
        <EmptyState icon="key" title="No key recorded yet">
          <p>Keys appear here once a ceremony that generates one is sealed.</p>
        </EmptyState>
      ) : null}
      {inventory && inventory.keys.length > 0 ? (
        <>
          <ul className="stat-grid" aria-label="Keys by state">
            {[...countByState(inventory)].map(([state, n]) => (
              <li key={state} className="stat">
                <span className="stat-value">{n}</span>
                <span className="stat-label">{KEY_STATE_LABELS[state as keyof typeof KEY_STATE_LABELS] ?? state}</span>
              </li>
            ))}
          </ul>
          {due > 0 ? <StatusBadge status="warning">{`${due} ${due === 1 ? 'key is' : 'keys are'} due for rotation`}</StatusBadge> : null}
        </>
      ) : null}
    </Panel>
  );
}

export function HomeScreen() {
  const { loadRecentCeremonies: loadRecent, loadInventory, navigate } = useFields('loadRecentCeremonies', 'loadInventory', 'navigate');
  useEffect(() => {
    void loadRecent();
    void loadInventory();
  }, [loadRecent, loadInventory]);
  return (
    <section className="screen" aria-labelledby="home-title">
      <div className="screen-header">
        <div>
          <h1 id="home-title">Key ceremonies</h1>
          <p className="screen-lead">Check the devices, then start a ceremony, recover a key from its shares, or verify a transcript.</p>
        </div>
        <div className="row">
          <Button variant="primary" size="large" icon="key" onClick={() => navigate('ceremony')}>Start a ceremony</Button>
          <Button variant="secondary" size="large" icon="check" onClick={() => navigate('audit')}>Verify a transcript</Button>
        </div>
      </div>
      <NetworkBanner />
      <RehearsalBanner />
      <div className="grid-2">
        <DevicesPanel />
        <div className="stack">
          <RecentPanel />
          <InventorySummary />
        </div>
      </div>
    </section>
  );
}
