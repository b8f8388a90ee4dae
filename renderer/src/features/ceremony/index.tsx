import { useEffect } from 'react';
import { ceremonyStores, useCeremony } from '../../store/ceremony-stores';
import { ScriptLoader } from './ScriptLoader';
import { Wizard } from './Wizard';
import './ceremony.css';

export function CeremonyScreen() {
  const view = useCeremony((s) => s.view);
  useEffect(() => ceremonyStores().ceremony.getState().connect(), []);
  if (view) return <section className="cer-screen" aria-label="Ceremony"><Wizard view={view} /></section>;
  return (
    <section className="cer-screen" aria-labelledby="ceremony-title">
      <h1 id="ceremony-title" className="cer-h1">Run a ceremony</h1>
      <ScriptLoader />
    </section>
  );
}
