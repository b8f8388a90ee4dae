/**
 * The witness's "Cosign with my token" form, rendered to markup as a person sees it: the token
 * choice, the PIN field with what a wrong PIN left, and the line that says the key is not on the
 * chosen token. Plus the words that say which ways the recorded key allows.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ErrorData, PinTries } from '../../../electron/contract/index';
import { tokenLine, tokenRefusal, waysText, WitnessTokenCosign, type WitnessTokenCosignProps } from '../../../renderer/src/features/ceremony/WitnessTokenCosign';

const tokens = [
  { serial: '1111', label: 'keyrite-e2e', description: 'SoftHSM slot' },
  { serial: '2222', label: 'wendy-card', description: 'SoftHSM slot' },
];
const wrongPin = (flags: Partial<PinTries>): ErrorData => ({
  code: 'PIN_INCORRECT', message: 'The PIN is incorrect.', action: 'Check the PIN and try again.',
  details: { countLow: false, finalTry: false, locked: false, ...flags },
});
const notOnToken: ErrorData = {
  code: 'WITNESS_KEY_NOT_ON_TOKEN', message: 'Token wendy-card holds no key matching the key the script records for witness Wendy.',
  action: 'Wendy: connect your own token and cosign again.',
  details: { witness: 'Wendy', tokenSerial: '1111', tokenLabel: 'spare-card' },
};

function render(over: Partial<WitnessTokenCosignProps> = {}): string {
  const props: WitnessTokenCosignProps = {
    witness: 'Wendy', tokens, listError: null, error: null, needTries: null, busy: false,
    onReload: () => undefined, onCosign: () => undefined, ...over,
  };
  return renderToStaticMarkup(createElement(WitnessTokenCosign, props));
}

describe('witness cosign on a token', () => {
  it('offers the tokens present, a masked PIN field and a "Cosign on my token" button that waits for both', () => {
    const html = render();
    expect(html).toContain('Cosign with my token');
    expect(html).toContain('wendy-card (serial 2222)');
    expect(html).toContain('keyrite-e2e (serial 1111)');
    expect(html).toContain('type="password"');
    expect(html).toMatch(/<button[^>]*type="submit"[^>]*disabled[^>]*>.*Cosign on my token/);
    expect(html).not.toContain('Wrong PIN.');
  });

  it('chooses the only token present by itself, but never picks one of several', () => {
    expect(render({ tokens: [tokens[1]!] })).toMatch(/<option value="2222" selected="">/);
    expect(render()).not.toMatch(/<option value="\d+" selected="">/);
  });

  it('after a wrong PIN says so on the field with the tries left, once, not again under the token', () => {
    const html = render({ error: wrongPin({ countLow: true, finalTry: true }) });
    expect(html).toContain('Wrong PIN.');
    expect(html.match(/One try left: another wrong PIN locks the token\./g)).toHaveLength(1);
    // The wrong PIN is not repeated as the token's line.
    expect(html).toMatch(/data-testid="cosign-token-line"[^>]*><\/p>/);
  });

  it('disables the PIN field once the token says it is locked, from the refusal or the resumed need', () => {
    expect(render({ error: wrongPin({ locked: true }) })).toMatch(/The PIN is locked/);
    expect(render({ needTries: { countLow: true, finalTry: true, locked: true } })).toMatch(/<input[^>]*disabled/);
  });

  it('says in the line under the token that the chosen token does not hold the key, and marks the choice', () => {
    const html = render({ error: notOnToken });
    expect(html).toContain('spare-card does not hold Wendy&#x27;s key: choose your own token.');
    // The whole refusal is the banner's: the line does not repeat it.
    expect(html).not.toContain('holds no key matching');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('role="alert"');
    expect(html).not.toContain('Wrong PIN.');
  });

  it('leaves a key file refusal to the banner: the token form shows nothing for it', () => {
    const html = render({ error: { code: 'WITNESS_KEY_MISMATCH', message: 'That key file is not Wendy\'s key.' } });
    expect(html).not.toContain('not Wendy');
    expect(tokenRefusal({ code: 'WITNESS_KEY_MISMATCH', message: 'x' })).toBeNull();
  });

  it('says when no token is found or the list cannot be read', () => {
    expect(render({ tokens: [] })).toContain('No token found: insert your own token and look again.');
    expect(render({ tokens: null })).toContain('Looking for tokens…');
    expect(tokenLine('Wendy', { code: 'TOKEN_MODULE_FAILED', message: 'The token module failed.', action: 'Restart Keyrite.' }, null, true))
      .toBe('The token module failed. Restart Keyrite.');
    expect(tokenLine('Wendy', null, { ...notOnToken, details: {} }, false)).toBe("This token does not hold Wendy's key: choose your own token.");
  });
});

describe('which ways the recorded key allows', () => {
  it('for an ECDSA/RSA key says only a token can hold it', () => {
    expect(waysText('Wim', 'keyrite.spki/v1')).toMatch(/only ever kept on a token, so Wim cosigns on their own token/);
  });
  it('for an Ed25519 key offers the token and the key file', () => {
    expect(waysText('Wendy', 'ed25519')).toMatch(/on your own token, or with your signer key file/);
  });
});
