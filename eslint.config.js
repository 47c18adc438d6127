import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'web/dist/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Shared by the server and the browser bundle: only sibling files, no packages, Node or DOM APIs.
    files: ['src/game/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'src/game/ is shared with web/: import only its own files.' }] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'window', 'document', 'require'],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'e2e/**/*.ts', '**/*.cjs'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
