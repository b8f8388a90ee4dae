import { Button } from '../../components';
import { useState } from 'react';
import type { CeremonyNeed } from '../../../../electron/contract/ceremony';
import { useCeremony, useShare } from '../../store/ceremony-stores';
import { ErrorAlert } from '../ceremony/ErrorAlert';
import { HoldToReveal } from './HoldToReveal';
import { usePrintShareSheet } from './PrintShareSheet';
import { offersSheet } from './share-sheet';
import { ShareDisplay } from './ShareDisplay';
import { VerifyShare } from './VerifyShare';
import './custodian.css';

type HandOffNeed = Extract<CeremonyNeed, { kind: 'show-share' | 'verify-share' }>;

const DELIVERY_TEXT = {
  paper: 'Write each word, in order, on your share sheet in pen, and check you can read it back.',
  file: 'The script asks for a file copy of this share. Write each word, in order, on your share sheet first: Keyrite checks the sheet before you leave.',
  token: 'The script asks for a copy on your own token. Write each word, in order, on your share sheet first: Keyrite checks the sheet before you leave.',
} as const;

/** One custodian's turn: hand over the laptop, show the share to them alone, then check it. */
export function HandOff({ need, handedOff }: { need: HandOffNeed; handedOff: string[] }) {
  // The confirmation that the right person holds the laptop is per custodian: a new turn asks again.
  const [present, setPresent] = useState<string | null>(null);
  const here = present === need.custodian || need.kind === 'verify-share';
  return (
    <div className="cer-handoff">
      {handedOff.length > 0 ? <p className="cer-hint">Verified so far: {handedOff.join(', ')}</p> : null}
      {!here
        ? <PassTheLaptop need={need} onPresent={() => setPresent(need.custodian)} />
        : need.kind === 'show-share' ? <ShowShare need={need} /> : <VerifyShare need={need} />}
    </div>
  );
}

function PassTheLaptop({ need, onPresent }: { need: HandOffNeed; onPresent: () => void }) {
  const position = need.kind === 'show-share' ? `Share ${need.position} of ${need.total}` : 'Share check';
  return (
    <div className="cer-pass">
      <p className="cer-eyebrow">{position}</p>
      <p className="cer-pass__title">Pass the laptop to <strong>{need.custodian}</strong></p>
      <p className="cer-lead">Everyone else steps back and looks away from the screen. The witnesses watch the room, not the screen.</p>
      <Button type="button" variant="primary" size="large" onClick={onPresent}>I am {need.custodian}: continue</Button>
    </div>
  );
}

function ShowShare({ need }: { need: Extract<CeremonyNeed, { kind: 'show-share' }> }) {
  const share = useShare((s) => s.share);
  const shareError = useShare((s) => s.error);
  const busy = useCeremony((s) => s.busy);
  const submit = useCeremony((s) => s.submit);
  const [seen, setSeen] = useState(false);
  if (share && !seen) setSeen(true);
  // Offered once the custodian has seen the words, so they know what the sheet must say.
  const sheet = usePrintShareSheet(need.custodian, seen);
  return (
    <div className="cer-show">
      <p className="cer-pass__title">{need.custodian}, your share</p>
      <p className="cer-lead">{DELIVERY_TEXT[need.delivery]}</p>
      <HoldToReveal custodian={need.custodian} />
      <div className="cer-show__area" aria-live="off">
        {share && share.custodian === need.custodian
          ? <ShareDisplay share={share} />
          : <p className="cer-show__hidden">Hidden. Hold the button to show the words.</p>}
      </div>
      {shareError ? <ErrorAlert error={shareError} title="The share cannot be shown" /> : null}
      {offersSheet(need.delivery)
        ? (
            <div className="cer-show__sheet">
              <p className="cer-hint">Once you have seen your share, Keyrite can print your sheet or save it as a PDF for you.</p>
              {sheet.buttons}
              {sheet.status}
            </div>
          )
        : null}
      <Button type="button" variant="primary" disabled={busy || !seen || sheet.busy}
        onClick={() => { void submit({ kind: 'share-shown', custodian: need.custodian }); }}>
        I have written down my share
      </Button>
    </div>
  );
}
