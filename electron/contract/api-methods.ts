/**
 * The preload's named method for each invoke channel, and the event channels the page may listen
 * to. Imports nothing: the preload is a small CommonJS bundle and takes only these two lists from
 * the contract. ./channels.ts checks at compile time that they match its channel table both ways,
 * and test/unit/ipc/channels.test.ts checks it at run time.
 */

/** Preload method name -> channel. The preload exposes exactly these, one named method each (no generic invoke). */
export const API_METHODS = {
  appInfo: 'app/info',
  listTokens: 'tokens/list',
  listDevices: 'devices/list',
  recentCeremonies: 'ceremonies/recent',
  pickAuditFolder: 'audit/pick-folder',
  verifyTranscript: 'audit/verify',
  exportAuditReport: 'audit/export-report',
  listInventory: 'inventory/list',
  printReport: 'print/report',
  printShareSheet: 'print/share-sheet',
  listTemplates: 'templates/list',
  validateCeremonyScript: 'ceremony/validate',
  loadCeremony: 'ceremony/load',
  ceremonyPreflight: 'ceremony/preflight',
  ceremonyView: 'ceremony/view',
  submitCeremonyInput: 'ceremony/submit',
  revealShare: 'ceremony/reveal-share',
  recordDeviation: 'ceremony/deviation',
  closeCeremony: 'ceremony/close',
  startRecovery: 'recovery/start',
  checkShareWord: 'recovery/check-word',
  addRecoveryShare: 'recovery/add-share',
  closeRecovery: 'recovery/close',
} as const;

/** What main pushes to the page (webContents.send); `on` accepts only these. */
export const EVENT_CHANNELS = ['devices/changed', 'ceremony/changed', 'ceremony/progress'] as const;
