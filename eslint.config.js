// Flat config: typescript-eslint's type-checked rules for TypeScript (the type information is already
// there from tsconfig.json), plain rules for the few JavaScript files, and the import boundaries of
// docs/architecture.md made mechanical.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['node_modules/', 'web/dist/', 'data/', 'test-results/', 'coverage/', 'bench/results/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Fastify's reply methods return the reply for chaining; `void reply.x()` already marks the intent.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Route handlers and plugins are async by Fastify's contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      // Passing async handlers to Fastify and React event props is the normal idiom.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    // JavaScript files (this one, scripts/*.mjs) are outside tsconfig: lint them without types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The browser bundle may share the server's zod schemas and nothing else of the server.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // A regex, because a glob that excludes server/ cannot re-include files inside it.
          patterns: [{ regex: '(^|/)server/(?!.*\\.schema(\\.[jt]s)?$)', message: 'web/ imports only *.schema.ts from the server.' }],
        },
      ],
    },
  },
  {
    // A module may use another module's schema, rules and queries, never its routes; only app.ts wires
    // routes. The server never reaches into the web app.
    files: ['server/**/*.ts'],
    ignores: ['server/app.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/*.routes', '**/*.routes.js', '**/*.routes.ts'], message: 'Import schema, rules or queries; only server/app.ts registers routes.' },
            { group: ['**/web/**'], message: 'The server does not import from web/.' },
          ],
        },
      ],
    },
  },
  {
    // Tests assert on parsed JSON of unknown shape; typing every response would add noise, not safety.
    files: ['**/*.test.ts', 'server/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
