import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.venv/**', 'dist/**', 'functions/page-run/**', 'test/artifacts/**', 'ui/**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Type-aware: a switch over a union must name every member (a default does not count), so a new
    // command, event or cursor kind fails lint where it is not handled instead of looping at run time.
    files: ['**/*.ts'],
    ignores: ['vitest.config.ts', 'vitest.ui.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
    },
  },
  {
    // The engine's state machines stay readable in one sitting: small files, small functions.
    files: ['functions/engine/**/*.ts'],
    rules: {
      complexity: ['error', 15],
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
