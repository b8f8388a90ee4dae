/**
 * The one PIN field the ceremony login, the custodian's token check and recovery's "Share on my
 * token" share: rendered to markup (no DOM needed) to check what a person sees after a wrong PIN.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ErrorData, PinTries } from '../../../electron/contract/index';
import { TokenPinField, type TokenPinFieldProps } from '../../../renderer/src/features/ceremony/TokenPinField';

function render(error: ErrorData | null, needTries: PinTries | null = null): string {
  const props: TokenPinFieldProps = { label: 'PIN of my token', name: 'pin', value: '', hint: 'Used for one login.', error, needTries, onChange: () => undefined };
  return renderToStaticMarkup(createElement(TokenPinField, props));
}

const wrong = (flags: Partial<PinTries>): ErrorData => ({
  code: 'PIN_INCORRECT', message: 'The PIN is incorrect.', action: 'Check the PIN and try again.',
  details: { countLow: false, finalTry: false, locked: false, ...flags },
});

describe('TokenPinField', () => {
  it('is a masked field that refuses autocomplete and spellcheck, with no note before any try', () => {
    const html = render(null);
    expect(html).toContain('type="password"');
    expect(html).toContain('autoComplete="off"');
    expect(html).toContain('spellCheck="false"');
    expect(html).not.toContain('Wrong PIN.');
    expect(html).not.toContain('field-tries');
  });

  it('after a wrong PIN says so on the field, with the tries the token reported, once', () => {
    const html = render(wrong({ countLow: true, finalTry: true }));
    expect(html).toContain('Wrong PIN.');
    expect(html.match(/One try left: another wrong PIN locks the token\./g)).toHaveLength(1);
    expect(html).not.toContain('disabled');
  });

  it('is disabled once the token says the PIN is locked, from the refusal or from the need', () => {
    // Said in the reserved line under the field, so nothing above the field moves when it appears.
    expect(render(wrong({ locked: true }))).toMatch(/class="field-error"[^>]*>.*The PIN is locked[^<]*<\/span><\/p>/);
    expect(render(wrong({ locked: true }))).toContain('disabled');
    expect(render(null, { countLow: true, finalTry: true, locked: true })).toContain('disabled');
  });

  it('ignores other refusals: no "Wrong PIN." for a share that does not open', () => {
    const html = render({ code: 'SHARE_TOKEN_DECRYPT_FAILED', message: 'x', details: { countLow: true } });
    expect(html).not.toContain('Wrong PIN.');
    expect(html).not.toContain('field-tries');
  });
});
