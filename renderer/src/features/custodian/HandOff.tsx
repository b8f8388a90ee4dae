import { useState } from 'react';
import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useFields } from '../../store';
import { ErrorAlert } from '../ceremony/ErrorAlert';
import { HoldToReveal } from './HoldToReveal';
import { usePrintShareSheet } from './PrintShareSheet';
import { offersSheet } from './share-sheet';
import { ShareDisplay } from './ShareDisplay';
import { ShareFile, VerifyShareFile } from './ShareFile';
import { ShareToken, VerifyShareToken } from './ShareToken';
import { VerifyShare } from './VerifyShare';
import './custodian.css';

/** Every need of a custodian's turn: paper (words shown), file (passphrase) or token (their card). */
export type CustodianNeed = Extract<CeremonyNeed, { kind: 'show-share' | 'verify-share' | 'share-file' | 'verify-share-file' | 'share-token' | 'verify-share-token' }>;

/** The needs that start a custodian's turn: the laptop changes hands first. */
function startsTurn(need: CustodianNeed): need is Extract<CustodianNeed, { kind: 'show-share' | 'share-file' | 'share-token' }> {
  return need.kind === 'show-share' || need.kind === 'share-file' || need.kind === 'share-token';
}

/** One custodian's turn: hand over the laptop, give them their share the way the script says, then check it. */
export function HandOff({ need, handedOff }: { need: CustodianNeed; handedOff: string[] }) {
  // The confirmation that the right person holds the laptop is per custodian: a new turn asks again.
  const [present, setPresent] = useState<string | null>(null);
  const here = present === need.custodian || !startsTurn(need);
  return (
    <div className="cer-handoff">
      <p className="cer-hint" data-testid="handed-off">{handedOff.length > 0 ? `Verified so far: ${handedOff.join(', ')}` : 'No share verified yet.'}</p>
      {!here && startsTurn(need)
        ? <PassTheLaptop custodian={need.custodian} position={need.position} total={need.total} onPresent={() => setPresent(need.custodian)} />
        : <Turn need={need} />}
    </div>
  );
}

function Turn({ need }: { need: CustodianNeed }) {
  switch (need.kind) {
    case 'show-share': return <ShowShare need={need} />;
    case 'verify-share': return <VerifyShare need={need} />;
    case 'share-file': return <ShareFile need={need} />;
    case 'verify-share-file': return <VerifyShareFile need={need} />;
    case 'share-token': return <ShareToken need={need} />;
    case 'verify-share-token': return <VerifyShareToken need={need} />;
  }
}

export function PassTheLaptop({ custodian, position, total, onPresent }: { custodian: string; position: number; total: number; onPresent: () => void }) {
  return (
    <div className="cer-pass">
      <p className="cer-eyebrow">Share {position} of {total}</p>
      <p className="cer-pass__title">Pass the laptop to <strong>{custodian}</strong></p>
      <p className="cer-lead">Everyone else steps back and looks away from the screen. The witnesses watch the room, not the screen.</p>
      <Button type="button" variant="primary" size="large" onClick={onPresent}>I am {custodian}: continue</Button>
    </div>
  );
}

function ShowShare({ need }: { need: Extract<CeremonyNeed, { kind: 'show-share' }> }) {
  const { revealedShare: share, revealError: shareError, runBusy: busy, submitInput: submit } = useFields('revealedShare', 'revealError', 'runBusy', 'submitInput');
  const [seen, setSeen] = useState(false);
  if (share && !seen) setSeen(true);
  // Offered once the custodian has seen the words, so they know what the sheet must say.
  const sheet = usePrintShareSheet(need.custodian, seen);
  return (
    <div className="cer-show">
      <p className="cer-pass__title">{need.custodian}, your share</p>
      <p className="cer-lead">Write each word, in order, on your share sheet in pen, and check you can read it back.</p>
      <HoldToReveal custodian={need.custodian} />
      <div className="cer-show__area" aria-live="off">
        <p className="cer-show__hidden">Hidden. Hold the button to show the words and the QR code over the whole window.</p>
        {share && share.custodian === need.custodian ? <ShareDisplay share={share} /> : null}
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
