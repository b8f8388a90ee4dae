import { useEffect } from 'react';
import { useStore } from '../../store';
import { ScriptLoader } from './ScriptLoader';
import { Wizard } from './Wizard';
import './ceremony.css';

export function CeremonyScreen() {
  const view = useStore((s) => s.runView);
  useEffect(() => useStore.getState().connectRun(), []);
  if (view) return <section className="cer-screen" aria-label="Ceremony"><Wizard view={view} /></section>;
  return (
    <section className="cer-screen" aria-labelledby="ceremony-title">
      <h1 id="ceremony-title" className="cer-h1">Run a ceremony</h1>
      <ScriptLoader />
    </section>
  );
}
