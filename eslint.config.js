// Lint rules enforce the design: sans-IO cores (no sockets, clock, timers or Math.random outside
// src/io/), small files and functions (DEVELOPERS.md, "Code conventions").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ambientGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'performance'].map(
  (name) => ({ name, message: 'Protocol cores take time as input: only src/io/ may use timers or clocks.' }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.lab/**', 'test/interop/pages/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 15],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/io/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'dgram', 'crypto', 'net', 'tls', 'os', 'fs', 'timers', 'timers/*'], message: 'Only src/io/ may import Node modules: cores are sans-IO.' }] }],
      'no-restricted-globals': ['error', ...ambientGlobals, { name: 'Buffer', message: 'Cores use Uint8Array; Buffer belongs to src/io/.' }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Cores take `now` as input.' },
        { object: 'Math', property: 'random', message: 'Cores take an Rng.' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
