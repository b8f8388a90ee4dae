import type { SlotView } from '../../api';
import { Button, EmptyState, ErrorBanner, Icon, Loading, Panel, StatusBadge } from '../../components';
import { useFields } from '../../store';
import { NetworkRow } from './Network';
import { softwareTokenName } from './software-token';

function tokenStatus(slot: SlotView): { status: 'ok' | 'warning' | 'failed' | 'pending'; text: string } {
  const t = slot.token;
  if (!t) return { status: 'pending', text: 'No token' };
  if (t.flags.userPinLocked) return { status: 'failed', text: 'PIN locked' };
  if (!t.flags.tokenInitialized) return { status: 'warning', text: 'Not initialised' };
  if (t.flags.userPinFinalTry) return { status: 'warning', text: 'Final PIN try' };
  if (t.flags.userPinCountLow) return { status: 'warning', text: 'PIN tries low' };
  return { status: 'ok', text: 'Ready' };
}

function TokenRow({ slot }: { slot: SlotView }) {
  const t = slot.token;
  const s = tokenStatus(slot);
  return (
    <li className="device">
      <Icon name="token" className="device-icon" />
      <div className="device-text">
        <p className="device-name">{t && t.label ? t.label : t ? 'Uninitialised token' : slot.description}</p>
        <p className="device-meta">
          {[t ? `${t.manufacturer} ${t.model}` : slot.manufacturer, t && t.serial ? `serial ${t.serial}` : `slot ${slot.slotId}`, slot.module ? `via ${slot.module}` : null].filter(Boolean).join(' · ')}
        </p>
        {t && t.rehearsal ? <p className="device-tag">Rehearsal token ({softwareTokenName(t)}): never holds a production key</p> : null}
      </div>
      <StatusBadge status={s.status}>{s.text}</StatusBadge>
    </li>
  );
}

export function DevicesPanel() {
  const { devices, devicesError: error, devicesLoading: loading, refreshDevices: refresh } = useFields('devices', 'devicesError', 'devicesLoading', 'refreshDevices');
  const slots = devices?.slots ?? [];
  const tokens = slots.filter((s) => s.tokenPresent && s.token);
  return (
    <Panel
      title="Devices"
      description="Tokens, network and USB devices of this laptop. The list updates when a device is plugged in or removed."
      actions={<Button variant="quiet" icon="refresh" busy={loading} onClick={() => void refresh()}>Check again</Button>}
      className="devices-panel"
    >
      {error ? <ErrorBanner error={error} title="The devices could not be read" /> : null}
      {!devices && !error ? <Loading label="Looking for tokens and devices" /> : null}
      {devices ? (
        <>
          <div>
            <h3 className="subheading">Tokens</h3>
            {tokens.length === 0 ? (
              <EmptyState icon="token" title="No token found">
                <p>Insert the HSM or smart card. It appears here as soon as it is recognised.</p>
              </EmptyState>
            ) : (
              <ul className="device-list" aria-label="Tokens">
                {tokens.map((s) => <TokenRow key={`${s.module ?? ''}#${s.slotId}`} slot={s} />)}
              </ul>
            )}
          </div>
          {devices.network ? (
            <div>
              <h3 className="subheading">Network</h3>
              <NetworkRow network={devices.network} />
            </div>
          ) : null}
          <div>
            <h3 className="subheading">USB devices</h3>
            {!devices.usbAvailable ? (
              <p className="muted">USB devices cannot be listed on this machine (no USB access). Tokens above are read through their PKCS#11 module.</p>
            ) : devices.usb.length === 0 ? (
              <p className="muted">No known security device is plugged in.</p>
            ) : (
              <ul className="device-list" aria-label="USB devices">
                {devices.usb.map((d) => (
                  <li key={d.id} className="device">
                    <Icon name="usb" className="device-icon" />
                    <div className="device-text">
                      <p className="device-name">{d.name}</p>
                      <p className="device-meta">{d.vendor} · {d.vendorId.toString(16).padStart(4, '0')}:{d.productId.toString(16).padStart(4, '0')}</p>
                    </div>
                    <StatusBadge status={d.known ? 'ok' : 'info'}>{d.known ? 'Recognised' : 'Unknown device'}</StatusBadge>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      ) : null}
    </Panel>
  );
}
