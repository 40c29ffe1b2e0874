import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**', '.scratch/**', 'clients/typescript/schema.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off'
    }
  },
  {
    files: ['schemas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['fastify*', 'ioredis', '../src/*', '../plugins/*', '../routes/*'] }] }
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['fastify*', 'ioredis', 'node:fs*', 'node:net', '../redis/*', '../repositories/*', '**/plugins/*', '**/routes/*'] }] }
  },
  {
    files: ['src/redis/**/*.ts', 'src/repositories/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['fastify*', '@fastify/*', '**/plugins/*', '**/routes/*'] }] }
  },
  {
    // A plugin reaches another only through what it decorates (and `dependencies` by name): never by import.
    files: ['plugins/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['./*', '../plugins/*', '../routes/*', 'ioredis'] }] }
  },
  {
    // The command line talks to Redis through the repositories, never through the HTTP app.
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['fastify*', '@fastify/*', '**/plugins/*', '**/routes/*', '**/app.js'] }] }
  },
  {
    files: ['routes/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['ioredis', '../src/redis/*', '../src/repositories/*', '../plugins/*'] }] }
  }
)
