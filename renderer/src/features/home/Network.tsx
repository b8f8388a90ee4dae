import type { NetworkFindingView, NetworkView } from '../../api';
import { Banner, Icon, StatusBadge } from '../../components';
import { useStore } from '../../store';

const KIND: Record<NetworkFindingView['kind'], string> = {
  'interface-up': 'Network interface up',
  wireless: 'Wireless adapter',
  bluetooth: 'Bluetooth controller',
};

function findingText(f: NetworkFindingView): string {
  // A Bluetooth controller's detail only says it is there.
  return f.kind === 'bluetooth' ? `${KIND[f.kind]}: ${f.name}` : `${KIND[f.kind]}: ${f.name} (${f.detail})`;
}

/** Says, above everything else on Home, when this laptop is not air-gapped, and what is up. */
export function NetworkBanner() {
  const network = useStore((s) => s.devices?.network);
  if (!network || network.findings.length === 0) return null;
  return (
    <Banner tone="warning" title="This laptop is not air-gapped" className="network-banner">
      <p>Keyrite never connects to a network, but the ceremony&apos;s air-gap check will stop until these are switched off or removed (or the policy allows a recorded override):</p>
      <ul className="network-findings">
        {network.findings.map((f) => <li key={`${f.kind}:${f.name}`}>{findingText(f)}</li>)}
      </ul>
    </Banner>
  );
}

/** The network row of the devices panel: air-gapped or not, in words and icon as well as colour. */
export function NetworkRow({ network }: { network: NetworkView }) {
  const n = network.findings.length;
  return (
    <ul className="device-list" aria-label="Network">
      <li className="device">
        <Icon name="network" className="device-icon" />
        <div className="device-text">
          <p className="device-name">{n === 0 ? 'No network' : `${n} way${n === 1 ? '' : 's'} off this laptop`}</p>
          <p className="device-meta">
            {n === 0 ? 'No network interface is up; no wireless adapter or Bluetooth controller is present.' : network.findings.map((f) => f.name).join(', ')}
          </p>
        </div>
        <StatusBadge status={n === 0 ? 'ok' : 'warning'}>{n === 0 ? 'Air-gapped' : 'Not air-gapped'}</StatusBadge>
      </li>
    </ul>
  );
}
