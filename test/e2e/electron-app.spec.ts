/**
 * The 'electron' project's specs: the same bodies the chromium project runs (electron-shared.ts),
 * against the built app through _electron.launch. Only in the config where an Electron binary exists.
 */
import { test } from './electron-fixture';
import { auditTamperedThenIntact, homeOpensRecentInAudit, homeShowsTokenAndBanner } from './electron-shared';

test('home shows the SoftHSM2 token and the rehearsal banner', async ({ keyrite }) => homeShowsTokenAndBanner(keyrite));

test('home lists the ceremonies on this laptop and opens one in the audit screen', async ({ keyrite }) => homeOpensRecentInAudit(keyrite));

test('audit of a tampered transcript shows the error at the changed entry, and the intact one verifies', async ({ keyrite }) => {
  await auditTamperedThenIntact(keyrite);
});
