import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import regexpPlugin from 'eslint-plugin-regexp';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// The layering of ../shared/ARCHITECTURE.md, checked on every `npm test`:
// services never import electron, the DOM or the renderer; the contract runs everywhere (no Node, no
// electron); the renderer never imports Node built-ins, electron, services or main.
const servicesImports = {
  paths: [{ name: 'electron', message: 'Services are plain Node: never import electron (ARCHITECTURE.md).' }],
  patterns: [
    { group: ['**/renderer/**'], message: 'Services never import the renderer.' },
    {
      group: ['**/electron/main/**', '../main/*', '../../main/*'],
      message: 'Services never import the main process glue.',
    },
  ],
};

const layering = [
  {
    files: ['electron/services/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-imports': ['error', servicesImports] },
  },
  {
    // One door into the vault: only vault/ holds the SQLite connection; every domain reads through
    // vault.guard (ReadableDB) and writes through vault.transaction (WritableDB).
    files: ['electron/services/**/*.ts'],
    ignores: ['electron/services/vault/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...servicesImports,
          paths: [
            ...servicesImports.paths,
            {
              name: 'better-sqlite3-multiple-ciphers',
              message: 'Only electron/services/vault/ opens SQLite: use vault.guard / vault.transaction (vault-db.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The contract has no runtime dependency on electron.' }],
          patterns: [
            {
              group: ['node:*', ...NODE_BUILTINS],
              message: 'The contract also runs in the renderer: no Node built-ins.',
            },
            {
              group: ['**/services/**', '**/main/**', '**/renderer/**'],
              message: 'The contract depends on nothing but zod.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/**', '**/main/**', 'node:*'],
              message: 'The preload only builds window.ratsdesk from the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'], // build configuration, runs in Node
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to services only through window.ratsdesk.' }],
          patterns: [
            { group: ['node:*', ...NODE_BUILTINS], message: 'No Node built-ins in the renderer.' },
            {
              group: ['**/electron/services/**', '**/electron/main/**', '**/electron/preload/**'],
              message: 'The renderer may import only electron/contract.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'dist-electron/**',
      'release/**',
      'test-results/**',
      'coverage/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Untrusted text (mail, file names, RIS pages, server answers) meets these regular expressions in the main
    // process and the renderer: one with super-linear backtracking lets a single mail freeze the app (issue #10,
    // item 2). The rules reject the class, not just the cases found so far.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { regexp: regexpPlugin },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }],
    },
  },
  ...layering,
);
