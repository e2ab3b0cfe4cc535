// Lint keeps the process boundaries: shared/ is pure, only the Electron shell imports 'electron',
// and raw ipcMain/ipcRenderer live only in the IPC wrappers.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = { name: 'electron', message: 'Only electron/main, electron/ipc and electron/preload import electron; use the Platform interface.' };
const rawIpc = (allowed) => ({
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'].filter((n) => n !== allowed),
  message: 'Raw ipcMain/ipcRenderer only inside electron/ipc (main) and electron/preload (renderer side).',
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'tests/fixtures/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...nodeModules.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node modules.' }))],
          patterns: [
            { group: ['react', 'react-dom', 'dexie', 'zustand', 'ws', 'zod'], message: 'shared/ imports no UI, storage or runtime libraries.' },
            { group: ['**/electron/**', '**/renderer/**', '**/tests/**'], message: 'shared/ depends on nothing else in the project.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', 'localStorage', 'indexedDB', '__dirname'],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc(null)] }] },
  },
  {
    files: ['electron/ipc/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc('ipcMain')] }] },
  },
  {
    files: ['electron/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc('ipcRenderer')] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/harness/bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...nodeModules.map((name) => ({ name, message: 'The renderer runs sandboxed: no Node modules.' }))],
          patterns: [{ group: ['**/electron/**'], message: 'The renderer reaches the main process only through window.cardinal.' }],
        },
      ],
    },
  },
  {
    files: ['tests/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
