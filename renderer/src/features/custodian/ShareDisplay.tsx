import type { RevealedShare } from '../../api';

/**
 * The share's words, numbered as on the share sheet, and its QR code, over the whole window while
 * the show button is held: every word and the QR fit the viewport at any laptop size and in large
 * text, so nothing needs scrolling (a scroll would move the button the custodian is holding).
 * The held button underneath keeps the pointer (it captured it). Rendered only while held.
 */
export function ShareDisplay({ share }: { share: RevealedShare }) {
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(share.qrSvg)}`;
  return (
    <div className="cer-reveal" data-testid="share-display" role="region" aria-label={`${share.custodian}'s share`}>
      <p className="cer-reveal__bar">
        <strong>{share.custodian}&apos;s share</strong>
        <span>{share.words.length} words. Release the button to hide.</span>
      </p>
      <div className="cer-reveal__body">
        <ol className="cer-words" aria-label={`${share.custodian}'s share words`}>
          {share.words.map((w, i) => (
            <li key={i} className="cer-words__item"><span className="cer-words__num">{i + 1}</span><span className="cer-words__word">{w}</span></li>
          ))}
        </ol>
        <figure className="cer-qr">
          <img src={qr} alt={`QR code of ${share.custodian}'s share`} className="cer-qr__img" />
          <figcaption>Fingerprint <span className="cer-mono">{share.fingerprint}</span></figcaption>
        </figure>
      </div>
    </div>
  );
}
