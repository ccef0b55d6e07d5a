// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'build/**', 'hack/testbin/**', 'config/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // The house's boundaries (docs/architecture.md): the generic ring never imports a product, product code never
  // imports tooling or the CLI, and the pure core never imports the shell.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/tooling/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...productBoundaries()] }] },
  },
  {
    files: ['src/k8s/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...productBoundaries(),
            {
              group: ['**/lws/**', '**/operator/**', '**/disaggregatedset/**', '**/version.ts'],
              message: 'The generic ring (src/k8s) never imports a product.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/*/core/**/*.ts', 'src/*/api/**/*.ts', 'src/lws/webhooks/**/*.ts', 'src/lws/render/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/lws/webhooks/handlers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...productBoundaries(),
            {
              group: [
                '**/controllers/**',
                '**/cmd/**',
                '**/k8s/runtime/**',
                '**/k8s/manager/**',
                '**/k8s/client/client.ts',
                '**/k8s/certs/**',
              ],
              message: 'The pure core (api, core, webhooks, render) never imports the shell.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests poke at wire JSON; typing every response shape would add noise, not safety.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

function productBoundaries() {
  return [
    {
      group: ['**/tooling/**'],
      message: 'Product code never imports tooling (src/tooling): only tests, the CLI and hack/ may.',
    },
    { group: ['**/cli/**'], message: 'Nothing but the CLI imports src/cli.' },
  ];
}
