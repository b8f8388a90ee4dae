/**
 * The `review` need's panel (what a signing step is about to sign), rendered to markup as the room
 * sees it: the title, each fact (hashes in monospace, in groups of four) and the Confirm button; and its form sending
 * the confirming person on submit.
 */
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { CeremonyNeed } from '../../../electron/contract/index';
import { ReviewPanel, type ReviewPanelProps } from '../../../renderer/src/features/ceremony/NeedReview';

const sha = 'ab'.repeat(32);
/** As the room reads it: groups of four, so it wraps between groups (issue 14). */
const shaShown = 'abab '.repeat(16).trim();
const need: Extract<CeremonyNeed, { kind: 'review' }> = {
  kind: 'review', who: 'Alice Admin', title: 'Check what root.json version 2 changes before the token signs it',
  facts: [
    { label: 'Version', value: '1 → 2' },
    { label: 'Signed part SHA-256', value: sha, mono: true },
    { label: 'Change', value: 'version 1 -> 2', mono: true },
    { label: 'Change', value: 'role root: +k3', mono: true },
  ],
};
const props = (over: Partial<ReviewPanelProps> = {}): ReviewPanelProps => ({
  need, people: [{ name: 'Alice Admin', role: 'administrator' }], who: 'Alice Admin', onWho: () => undefined, busy: false, onConfirm: () => undefined, ...over,
});

describe('review need panel', () => {
  it('shows the title and every fact in order, hashes and change lines in monospace, and a Confirm button', () => {
    const html = renderToStaticMarkup(createElement(ReviewPanel, props()));
    expect(html).toContain(need.title);
    expect(html).toContain('<dt>Version</dt><dd>1 → 2</dd>');
    expect(html).toContain(`<dt>Signed part SHA-256</dt><dd class="mono wrap-anywhere">${shaShown}</dd>`);
    expect(html.indexOf('version 1 -&gt; 2')).toBeGreaterThan(html.indexOf(shaShown));
    expect(html.indexOf('role root: +k3')).toBeGreaterThan(html.indexOf('version 1 -&gt; 2'));
    expect(html).toContain('Alice Admin reads each line aloud');
    expect(html).toMatch(/<button[^>]*type="submit"[^>]*>.*Confirm: sign what is shown/);
    expect(html).not.toMatch(/<button[^>]*disabled/);
  });

  it('asks who confirms when the need names nobody, and waits while busy', () => {
    expect(renderToStaticMarkup(createElement(ReviewPanel, props({ need: { ...need, who: null } })))).toContain('Confirmed by');
    expect(renderToStaticMarkup(createElement(ReviewPanel, props({ busy: true })))).toMatch(/<button[^>]*disabled/);
  });

  it('sends the confirming person when the form is submitted', () => {
    const onConfirm = vi.fn();
    const form = ReviewPanel(props({ onConfirm })) as ReactElement<{ onSubmit: (e: { preventDefault: () => void }) => void }>;
    const preventDefault = vi.fn();
    form.props.onSubmit({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(onConfirm).toHaveBeenCalledWith('Alice Admin');
  });
});
