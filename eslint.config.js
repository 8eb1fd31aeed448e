// ESLint flat config: typescript-eslint with type information, configured for this codebase.
// The walls of DESIGN.md are rules here too: checks/ and reports/ import no AWS client, only src/cli/ prints.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS_IMPORTS = {
  patterns: [
    { group: ['@aws-sdk/*', '@smithy/*'], message: 'checks/ and reports/ are pure: they never reach AWS (DESIGN.md walls).' },
    { group: ['**/src/aws/*', '**/src/aws'], message: 'checks/ and reports/ are pure: they never import src/aws/ (DESIGN.md walls).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.venv-moto/**', 'coverage/**', 'reports/assets/**', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A `default` that handles the rest (or rejects it) is a deliberate choice, not a forgotten case.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // Template literals hold numbers and nullable strings on purpose (messages, ARNs).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // `x != null` is the one idiom for "neither null nor undefined" (hostile JSON has both).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      // Regexes that strip control characters are the terminal sanitiser's job.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'checks/**/*.ts', 'reports/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  { files: ['checks/**/*.ts', 'reports/**/*.ts'], rules: { 'no-restricted-imports': ['error', AWS_IMPORTS] } },
  {
    // Tests, the benchmark and the demo talk to the terminal and poke at untyped JSON.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'demo/**/*.ts', 'vitest*.config.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Stubs and fakes implement async interfaces (credential providers, SDK send) without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
