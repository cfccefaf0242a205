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
    // Code a connection runs a few times (setup) or per packet runs in V8's interpreter before it has
    // type feedback, where for-of and array destructuring go through the iterator protocol: a call and
    // an object per element, 4 to 14 times an indexed loop (issue 6; docs/performance.md). Indexed
    // loops over arrays, forEach over Maps and Sets. A loop off those paths says why it may stay.
    files: ['src/core/**/*.ts', 'src/stun/**/*.ts', 'src/ice/**/*.ts', 'src/dtls/**/*.ts', 'src/sctp/**/*.ts', 'src/dcep/**/*.ts', 'src/sdp/**/*.ts', 'src/stack/**/*.ts', 'src/facade/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'ForOfStatement', message: 'Per-connection and per-packet code: an indexed loop (arrays) or forEach (Map, Set), not for-of (interpreted, it allocates per element).' },
        { selector: 'VariableDeclarator > ArrayPattern', message: 'Per-connection and per-packet code: index access, not array destructuring (it runs the iterator protocol).' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
