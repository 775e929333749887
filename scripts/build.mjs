// The one build script for every bundle (STYLE.md 5). Entry points that do not exist yet are
// skipped so each runtime can land independently.
import { build, context } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIcon } from './icon.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// --tests also bundles the extension-host suites, which VS Code itself loads (tests/vscode/runTests.ts).
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  absWorkingDir: root,
};

const nodeBundles = [
  { entry: 'extension/main.ts', out: 'dist/extension.js', external: ['vscode'] },
  { entry: 'extension/worker/databaseWorker.ts', out: 'dist/databaseWorker.js', external: [] },
  // Started by the database worker from beside itself (extension/worker/rowCounter.ts).
  { entry: 'extension/worker/rowCounterWorker.ts', out: 'dist/rowCounterWorker.js', external: [] },
  { entry: 'extension/sync/syncWorker.ts', out: 'dist/syncWorker.js', external: [] },
  { entry: 'extension/scan/scanWorker.ts', out: 'dist/scanWorker.js', external: [] },
  { entry: 'language-server/main.ts', out: 'dist/server.js', external: [] },
  { entry: 'core/cli/main.ts', out: 'dist/cli.js', external: [], banner: '#!/usr/bin/env node' },
  // The Firebase SDK on its own: the bundles above require it from beside them when a sync starts.
  { entry: 'core/firestore/firebaseSdk.ts', out: 'dist/firebase.js', external: [] },
];

// ~3 MB of SDK parsed at every start of the CLI or a worker, though only sync uses it:
// core/firestore/client.ts's lazy import('./firebaseSdk') becomes a run-time require of dist/firebase.js.
const firebaseBesideBundle = {
  name: 'firebase-beside-bundle',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/firebaseSdk$/ }, (args) =>
      args.importer === join(root, 'core/firestore/client.ts') ? { path: './firebase.js', external: true } : undefined,
    );
  },
};

const webviewDir = join(root, 'webview/apps');
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir)
      .filter((name) => name.endsWith('.tsx'))
      .map((name) => join('webview/apps', name))
  : [];

// Mocha entries (index.ts) and suites (*.test.ts) in the folders below tests/vscode; the runner and
// screenshot scripts at its top level run in plain Node through tsx instead.
function vscodeTestEntries(dir = 'tests/vscode') {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return vscodeTestEntries(path);
    const inSubfolder = dir !== 'tests/vscode';
    return inSubfolder && (entry.name === 'index.ts' || entry.name.endsWith('.test.ts')) ? [path] : [];
  });
}
const testEntries = tests && existsSync(join(root, 'tests/vscode')) ? vscodeTestEntries() : [];

const configs = [
  ...nodeBundles
    .filter((bundle) => existsSync(join(root, bundle.entry)))
    .map((bundle) => ({
      ...common,
      entryPoints: [bundle.entry],
      outfile: bundle.out,
      platform: 'node',
      // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow.
      mainFields: ['module', 'main'],
      format: 'cjs',
      target: 'node20',
      external: bundle.external,
      banner: bundle.banner ? { js: bundle.banner } : undefined,
      plugins: bundle.out === 'dist/firebase.js' ? [] : [firebaseBesideBundle],
      // import() of an external becomes require(): a plain CommonJS load beside the bundle, also in
      // VS Code's extension host, rather than a trip through Node's ESM loader.
      supported: { 'dynamic-import': false },
    })),
  ...(testEntries.length
    ? [
        {
          ...common,
          entryPoints: testEntries,
          outdir: 'out/tests/vscode',
          outbase: 'tests/vscode',
          platform: 'node',
          mainFields: ['module', 'main'],
          format: 'cjs',
          target: 'node20',
          // mocha and playwright-core (the suites' real mouse and keyboard, tests/vscode/suite/workbenchPage.ts)
          // resolve from the repo's node_modules; vscode is the extension host's own.
          external: ['vscode', 'mocha', 'playwright-core'],
        },
      ]
    : []),
  ...(webviewEntries.length
    ? [
        {
          ...common,
          entryPoints: webviewEntries,
          outdir: 'dist/webview',
          platform: 'browser',
          format: 'iife',
          target: 'chrome120',
          jsx: 'automatic',
          loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
          define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
        },
      ]
    : []),
];

function copyAssets() {
  mkdirSync(join(root, 'dist/webview'), { recursive: true });
  // The wasm files ship inside the extension: nothing is fetched at run time. sql.js serves in-memory copies.
  copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(root, 'dist/sql-wasm.wasm'));
  // wa-sqlite's synchronous SQLite3 Multiple Ciphers build reads database files (plain or encrypted) page by page through our VFS.
  copyFileSync(join(root, 'node_modules/@journeyapps/wa-sqlite/dist/mc-wa-sqlite.wasm'), join(root, 'dist/mc-wa-sqlite.wasm'));
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), join(root, 'dist/webview/codicon.css'));
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), join(root, 'dist/webview/codicon.ttf'));
  // The walkthrough's sample (extension/walkthrough.ts): the sample app database and its config.
  // Without $schema: the copy lives in the extension's storage, where the relative path leads nowhere.
  mkdirSync(join(root, 'dist/sample'), { recursive: true });
  copyFileSync(join(root, 'sample-workspace/app.db'), join(root, 'dist/sample/app.db'));
  const { $schema: _schema, ...sampleConfig } = JSON.parse(readFileSync(join(root, 'sample-workspace/synclens.json'), 'utf8'));
  writeFileSync(join(root, 'dist/sample/synclens.json'), `${JSON.stringify(sampleConfig, null, 2)}\n`);
}

copyAssets();
await buildIcon(root);
if (watch) {
  const contexts = await Promise.all(configs.map((config) => context(config)));
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(configs.map((config) => build(config)));
}
