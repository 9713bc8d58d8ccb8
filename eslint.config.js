// ESLint flat config: typescript-eslint with type information, for the promise rules that matter in a server
// (no floating or misused promises, await only thenables).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'scratch/',
      '.itemshop/',
      'bin/',
      'docs/',
      'bench/results/',
      '.dependency-cruiser.cjs', // CommonJS config of `npm run depcheck`, outside the TypeScript project
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain browser scripts served as they are (public/embed/paystation-widget.js): ES5 style, browser globals.
    files: ['public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        URL: 'readonly',
        CustomEvent: 'readonly',
        define: 'readonly',
        module: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
);
