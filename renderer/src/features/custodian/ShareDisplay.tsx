import type { RevealedShare } from '../../api';

/** The share's words, numbered as on the share sheet, and its QR code. Rendered only while held. */
export function ShareDisplay({ share }: { share: RevealedShare }) {
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(share.qrSvg)}`;
  return (
    <div className="cer-share" data-testid="share-display">
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
  );
}
