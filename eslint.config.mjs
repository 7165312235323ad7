// ESLint for the whole repository: typescript-eslint's type-aware rules, each file group checked
// against the tsconfig that really compiles it (the add-in has its own, with the DOM library).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import officeAddins from 'eslint-plugin-office-addins';

/** Node's CommonJS globals, for the two plain JavaScript build scripts. */
const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
};

export default tseslint.config(
  { ignores: ['build/', 'build-*/', '**/dist/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // An async function implementing a Promise-returning interface needs no await: `async` is how
      // its throws become rejections (fakes in tests, Excel's context.sync, stream writers).
      '@typescript-eslint/require-await': 'off',
      // Cancellation rejects with the AbortSignal's reason, which is typed unknown, exactly as fetch does.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Express recognises an error handler by its four parameters; `_next` is required and unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // A closure may read the variable before its one assignment (a stream's dispose before the stream exists).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // URLSearchParams (Node's, in server code and tests) prints as a query string.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'package', package: 'url', name: 'URLSearchParams' },
          ],
        },
      ],
      // Custom functions must throw Office's CustomFunctions.Error, which is not an Error subclass.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'package', package: 'custom-functions-runtime', name: 'Error' }] }],
    },
  },
  {
    // Issue 14: a function a newcomer cannot read on one screen is split by concept; tests keep long tables.
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['test/**', 'packages/*/test/**'],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      // Tests read JSON answers (typed any) and assert on their fields: the assertion is the check.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['server/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Each package is checked against its own projects: its library, and its tests beside it.
    files: ['packages/*/src/**/*.ts'],
    languageOptions: { parserOptions: { project: './packages/*/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['packages/*/test/**/*.ts'],
    languageOptions: { parserOptions: { project: './packages/*/test/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['addin/**/*.ts'],
    languageOptions: { parserOptions: { project: './addin/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Microsoft's rules for Office.js code (eslint-plugin-office-addins), at the severities of its
    // recommended config. Only its rules are taken: its config also brings Prettier and a
    // JavaScript parser setup of its own, and without a TypeScript parser set here it reports parse
    // errors on every .ts file, so the parser is set explicitly. They run on the add-in and on the
    // tests that drive Excel (the in-memory model is driven exactly as Office is).
    files: ['addin/**/*.ts', 'test/addin/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'office-addins': officeAddins },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'warn',
      'office-addins/no-empty-load': 'warn',
      'office-addins/no-navigational-load': 'warn',
      'office-addins/no-office-initialize': 'warn',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },
  {
    files: ['connectors/**/*.ts'],
    languageOptions: { parserOptions: { project: './connectors/powerquery/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
