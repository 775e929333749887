import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'sample-workspace/**/*.db*', '.vscode-test/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', window: 'readonly', document: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Tools read their configuration from a default export.
    files: ['eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', 'react', 'react-dom'], patterns: ['../extension/*', '../webview/*', '../language-server/*', '**/extension/**', '**/webview/**', '**/language-server/**', '**/scripts/**'] }],
    },
  },
  {
    // A webview sees the typed protocol and nothing else of core at run time: types of core's plain
    // models (`import type`) are fine, code is not (it may read files or pull in the engine).
    // core/errors.ts is the protocol's error type (RpcError is a CodedError) and imports nothing.
    files: ['webview/**/*.ts', 'webview/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'A webview talks to the extension through core/protocol only.' }],
          patterns: [
            { regex: '(^|/)core/(?!protocol/|errors$)', allowTypeImports: true, message: 'webview/** imports only core/protocol/** and core/errors at run time (core types with `import type`).' },
            { regex: '(^|/)(extension|language-server|scripts|sample-workspace)/', message: 'webview/** imports only core/protocol/** and plain model types.' },
          ],
        },
      ],
    },
  },
  {
    files: ['extension/**/*.ts', 'language-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/scripts/**'], message: 'Product code does not import dev scripts: move what it needs into core/ or extension/.' }] }],
    },
  },
);
