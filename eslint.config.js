import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', '.esbuild', '.serverless', 'coverage'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // What the Lambdas bundle takes zod from lib/zod.ts (zod/mini + English messages): full zod costs every
    // function ~20 KiB zipped and tens of ms of cold import (docs/performance.md, "Cold import (branch coldstart)").
    files: ['handlers/**', 'events/**', 'config/**', 'lib/**'],
    ignores: ['lib/zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Lambda code imports zod from lib/zod.ts (zod/mini), not full 'zod'." },
            {
              name: 'zod/mini',
              message: 'Import lib/zod.ts: it installs the English messages zod/mini lacks.',
            },
          ],
          patterns: [
            { group: ['zod/*', '!zod/mini'], message: 'Lambda code imports zod from lib/zod.ts only.' },
          ],
        },
      ],
    },
  },
);
