/**
 * The review panel (sign-tuf-root's "check what root.json changes") and step results show a hash in
 * groups of four, so a 64-hex value wraps between groups, never at its last character.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { groupHexRuns } from '../../../renderer/src/components/format';
import { ReviewPanel } from '../../../renderer/src/features/ceremony/NeedReview';

const HASH = 'c813d1533dfb95e331a250faa00f1b14fbc2e45500d8db97d3af7e16388e3491';
const GROUPED = 'c813 d153 3dfb 95e3 31a2 50fa a00f 1b14 fbc2 e455 00d8 db97 d3af 7e16 388e 3491';

describe('groupHexRuns', () => {
  it('groups a whole hash and a hash inside a line', () => {
    expect(groupHexRuns(HASH)).toBe(GROUPED);
    expect(groupHexRuns(`keyid ${HASH}: already signed`)).toBe(`keyid ${GROUPED}: already signed`);
  });

  it('leaves short hex, words, and hex inside a note key or base64 as they are', () => {
    expect(groupHexRuns('version 2 -> 3, expires 2027-01-01')).toBe('version 2 -> 3, expires 2027-01-01');
    expect(groupHexRuns('deadbeef')).toBe('deadbeef');
    const noteKey = `keyrite-transcript+1a2b3c4d+${'0123456789abcdef'}0123AAECAwQ=`;
    expect(groupHexRuns(noteKey)).toBe(noteKey);
  });
});

describe('ReviewPanel', () => {
  it('shows the signed part\'s SHA-256 in groups of four', () => {
    const need = { kind: 'review' as const, who: 'Alice Admin', title: 'Check what root.json version 2 changes before the token signs it', facts: [
      { label: 'Signed part SHA-256', value: HASH, mono: true },
      { label: 'Change', value: `add key ${HASH}`, mono: true },
      { label: 'Version', value: '2' },
    ] };
    const html = renderToStaticMarkup(createElement(ReviewPanel, { need, people: [], who: 'Alice Admin', onWho: () => undefined, busy: false, onConfirm: () => undefined }));
    expect(html).toContain(`<dd class="mono wrap-anywhere">${GROUPED}</dd>`);
    expect(html).toContain(`<dd class="mono wrap-anywhere">add key ${GROUPED}</dd>`);
    expect(html).not.toContain(HASH);
  });
});
