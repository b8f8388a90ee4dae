/**
 * The ceremony's own file dialogs, opened by main (never by the renderer, which only says whose
 * turn it is): a witness's signer key file, read in main for one cosignature; and the save dialog
 * where a custodian puts their encrypted share file, written durably by main. Electron's dialog
 * functions come in as arguments, so this file is tested in plain Node.
 */
import type { ShareFileSink } from '../core/ceremony/run-types';
import { KeyriteError } from '../core/util/errors';
import { writeFileAtomic } from '../core/util/fs-durable';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The part of dialog.showOpenDialog the picker uses (bound to the main window in index.ts). */
export type ShowOpenDialog = (options: { title: string; buttonLabel: string; properties: Array<'openFile'>; filters: FileFilter[] }) => Promise<{ canceled: boolean; filePaths: string[] }>;

/** The part of dialog.showSaveDialog the sink uses. */
export type ShowSaveDialog = (options: { title: string; defaultPath: string; buttonLabel: string; filters: FileFilter[] }) => Promise<{ canceled: boolean; filePath?: string }>;

/**
 * CeremonyServices.pickWitnessKeyFile: an open dialog titled for that witness. Resolves to the
 * chosen path, or null when they cancelled; the runner then reads and checks the key in main.
 */
export function createWitnessKeyPicker(showOpenDialog: ShowOpenDialog): (witness: string) => Promise<string | null> {
  return async (witness) => {
    const r = await showOpenDialog({
      title: `${witness}: choose your witness signer key file to cosign the final checkpoint`,
      buttonLabel: 'Cosign with this key',
      properties: ['openFile'],
      filters: [{ name: 'Witness signer key', extensions: ['key', 'txt'] }, { name: 'All files', extensions: ['*'] }],
    });
    const file = r.filePaths[0];
    return r.canceled || file === undefined || file === '' ? null : file;
  };
}

export interface ShareSinkDeps {
  showSaveDialog: ShowSaveDialog;
  /** Durable write (fs-durable writeFileAtomic: temp file, fsync, rename, folder fsync). */
  writeFile?: (path: string, data: string) => Promise<void>;
}

/** A share file only its custodian should open: owner read/write only. */
const SHARE_FILE_MODE = 0o600;

/**
 * OpenRunOptions.shareFileSink for the app: a save dialog titled for the custodian, suggesting the
 * run's file name, onto the media they brought. Cancelling throws SHARE_SAVE_CANCELLED, and the
 * hand-off waits for them again. The save dialog has already asked before replacing a file.
 */
export function createShareFileSink(deps: ShareSinkDeps): ShareFileSink {
  const write = deps.writeFile ?? ((p: string, data: string) => writeFileAtomic(p, data, { mode: SHARE_FILE_MODE }));
  return async ({ custodian, suggestedName, content }) => {
    const ext = /\.([A-Za-z0-9]+)$/.exec(suggestedName)?.[1];
    const choice = await deps.showSaveDialog({
      title: `Save ${custodian}'s share file (onto ${custodian}'s own media)`,
      defaultPath: suggestedName,
      buttonLabel: 'Save share file',
      filters: ext ? [{ name: 'Keyrite share file', extensions: [ext] }] : [],
    });
    if (choice.canceled || choice.filePath === undefined || choice.filePath === '') {
      throw new KeyriteError('SHARE_SAVE_CANCELLED', `${custodian}'s share file was not saved: the save dialog was cancelled.`, {
        action: `Save the share file again when ${custodian}'s media is ready; the hand-off waits for them.`,
        details: { custodian },
      });
    }
    await write(choice.filePath, content);
    return choice.filePath;
  };
}
