import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', '.esbuild', '.serverless', 'coverage'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
