// The layer table of docs/ARCHITECTURE.md ("Layers"), written as import rules so the picture
// cannot drift from the code. `npm run lint` runs it after ESLint; test/unit/lint/layers.test.ts
// runs the same rules on a deliberately bad tree (test/fixtures/layers-bad) and on the real one.
//
// Paths are relative to the folder depcruise runs in (the repository root; the test runs the
// fixture tree with it as baseDir, so the same rules judge it).
const ROOT = '^';
// The electron npm package, resolved (node_modules/electron/...) or not (a bare 'electron').
const ELECTRON_PACKAGE = '(^|/)node_modules/electron/|^electron$';


/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-shell',
      comment: 'electron/core is plain Node under everything else: it never imports the CLI, main or preload.',
      severity: 'error',
      from: { path: `${ROOT}electron/core/` },
      to: { path: `${ROOT}electron/(cli|main|preload)/` },
    },
    {
      name: 'core-cli-not-electron',
      comment: 'electron/core and electron/cli run in plain Node (tests, the keyrite command, the token host): never import electron.',
      severity: 'error',
      from: { path: `${ROOT}electron/(core|cli)/` },
      to: { path: ELECTRON_PACKAGE },
    },
    {
      name: 'cli-not-to-shell',
      comment: 'The CLI runs the core services in plain Node: it never imports the Electron shell or the preload.',
      severity: 'error',
      from: { path: `${ROOT}electron/cli/` },
      to: { path: `${ROOT}electron/(main|preload)/` },
    },
    {
      name: 'renderer-not-to-electron-code',
      comment: 'The renderer talks to core only through the preload API (renderer/src/api): no core, main, preload or CLI code.',
      severity: 'error',
      from: { path: `${ROOT}renderer/` },
      to: { path: `${ROOT}electron/(core|main|preload|cli)/` },
    },
    {
      name: 'renderer-not-to-node',
      comment: 'The renderer has no Node (sandbox, no nodeIntegration): no Node built-in module.',
      severity: 'error',
      from: { path: `${ROOT}renderer/` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-to-electron',
      comment: 'The renderer reaches main only through window.keyrite: never the electron package.',
      severity: 'error',
      from: { path: `${ROOT}renderer/` },
      to: { path: ELECTRON_PACKAGE },
    },
    {
      name: 'contract-only-core-types',
      comment: 'The IPC contract is shared by main, preload and renderer: from core it takes types only (import type), plus the typed error class its schemas rebuild.',
      severity: 'error',
      from: { path: `${ROOT}electron/contract/` },
      to: {
        path: `${ROOT}electron/core/`,
        pathNot: `${ROOT}electron/core/util/errors\\.ts$`,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'contract-not-to-shell',
      comment: 'The contract sits under main, preload and renderer: it imports none of them, nor the CLI.',
      severity: 'error',
      from: { path: `${ROOT}electron/contract/` },
      to: { path: `${ROOT}(electron/(main|preload|cli)|renderer)/` },
    },
    {
      name: 'preload-only-contract',
      comment: 'The preload bundle exposes the contract over ipcRenderer: it imports the contract and electron, no core or main code.',
      severity: 'error',
      from: { path: `${ROOT}electron/preload/` },
      to: { path: `${ROOT}(electron/(core|main|cli)|renderer)/` },
    },
    {
      name: 'core-views-in-one-place',
      comment: 'Core speaks domain types; the contract\'s view types are named in one module of the ceremony core (run-view.ts, the domain-to-view mapping) and in the IPC handlers, nowhere else in core.',
      severity: 'error',
      from: { path: `${ROOT}electron/core/`, pathNot: `${ROOT}electron/core/(ipc/|ceremony/run-view\\.ts$)` },
      to: { path: `${ROOT}electron/contract/` },
    },
    {
      name: 'no-circular',
      comment: 'No import circles anywhere: a circle means two modules are one module in two files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|release)/' },
    // Type-only imports count: a circle of types is still two modules that are one.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
