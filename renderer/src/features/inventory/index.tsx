import { useEffect } from 'react';
import type { InventoryKeyView } from '../../api';
import { Button, EmptyState, ErrorBanner, Loading, Panel, StatusBadge, formatDate } from '../../components';
import { useFields } from '../../store';
import { DueTimeline } from './DueTimeline';
import { KEY_STATE_LABELS, KEY_STATE_STATUS } from './states';

function RotationCell({ k, today }: { k: InventoryKeyView; today: string }) {
  if (!k.rotationDue) return <span className="muted">No date set</span>;
  const due = formatDate(k.rotationDue);
  if (k.state === 'active' && due <= today) return <StatusBadge status="warning">{`Overdue since ${due}`}</StatusBadge>;
  return <span>{due}</span>;
}

export function InventoryScreen() {
  const { inventory, inventoryError: error, loadInventory: load } = useFields('inventory', 'inventoryError', 'loadInventory');
  useEffect(() => {
    void load();
  }, [load]);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="screen" aria-labelledby="inventory-title">
      <div className="screen-header">
        <div>
          <h1 id="inventory-title">Key inventory</h1>
          <p className="screen-lead">Every key in the transcripts on this laptop, with its NIST SP 800-57 state, class, rotation date and custodians.</p>
        </div>
        <Button icon="refresh" className="no-print" onClick={() => void load()}>Read again</Button>
      </div>
      {error ? <ErrorBanner error={error} title="The inventory could not be built" /> : null}
      {!inventory && !error ? <Loading label="Reading and verifying transcripts" /> : null}
      {inventory && inventory.problems.length > 0 ? (
        <Panel title="Transcripts left out" description="These could not be verified, so their keys are not listed.">
          <ul className="checks">
            {inventory.problems.map((p) => (
              <li key={p.dir} className="check">
                <StatusBadge status="failed">Not verified</StatusBadge>
                <div className="check-text">
                  <p className="check-title mono wrap-anywhere">{p.dir}</p>
                  <p className="check-detail">{p.error.message} <span className="muted">({p.error.code})</span></p>
                </div>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {inventory ? <DueTimeline due={inventory.due} /> : null}
      {inventory ? (
        <Panel title="Keys" description={`${inventory.keys.length} ${inventory.keys.length === 1 ? 'key' : 'keys'}`}>
          {inventory.keys.length === 0 ? (
            <EmptyState icon="key" title="No key recorded yet">
              <p>Keys appear here once a ceremony that generates one is sealed.</p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table inventory-table">
                <caption className="visually-hidden">Keys and their states</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">State</th>
                    <th scope="col">Class</th>
                    <th scope="col">Rotation due</th>
                    <th scope="col">Custodians</th>
                  </tr>
                </thead>
                <tbody>
                  {inventory.keys.map((k) => (
                    <tr key={`${k.id}-${k.fingerprint}`}>
                      <td>
                        <p className="strong">{k.label}{k.rehearsal ? <span className="tag-rehearsal">Rehearsal</span> : null}</p>
                        <p className="small muted">{k.algorithm} · created {formatDate(k.createdAt)}</p>
                        <p className="small mono wrap-anywhere">{k.fingerprint}</p>
                        {k.successor ? <p className="small">Succeeded by <span className="mono wrap-anywhere">{k.successor}</span></p> : null}
                        <details className="history">
                          <summary>State history ({k.history.length})</summary>
                          <ol aria-label={`State history of ${k.label}`}>
                            {k.history.map((h, i) => (
                              <li key={`${h.ceremony}-${i}`}>
                                <span className="strong">{KEY_STATE_LABELS[h.state]}</span> · {formatDate(h.date)} · <span className="mono">{h.ceremony}</span>
                                <br /><span className="muted">{h.reason}</span>
                              </li>
                            ))}
                          </ol>
                        </details>
                      </td>
                      <td><StatusBadge status={KEY_STATE_STATUS[k.state]}>{KEY_STATE_LABELS[k.state]}</StatusBadge></td>
                      <td>{k.keyClass}</td>
                      <td><RotationCell k={k} today={today} /></td>
                      <td>
                        {k.custodians.length > 0 ? <p>{k.custodians.join(', ')}</p> : <p className="muted">None</p>}
                        {k.quorum ? <p className="small muted">{k.quorum.k} of {k.quorum.n} shares to recover</p> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      ) : null}
    </section>
  );
}
