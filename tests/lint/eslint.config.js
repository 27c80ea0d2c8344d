// The lint of packet serve's page (src/serve/assets/*.js, ES modules in the browser):
// ESLint's recommended rules, run from tests/serve.rs as
// `tests/lint/node_modules/.bin/eslint --config tests/lint/eslint.config.js src/serve/assets`.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.browser },
    rules: {
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
      eqeqeq: 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
];
