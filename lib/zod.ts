/**
 * The zod every Lambda bundles: `zod/mini` (a fraction of full zod's import time and bytes, docs/performance.md),
 * with full zod's English messages, which mini does not install: without them every issue reads "Invalid input"
 * and a config error no longer names the bad key. Import zod from here, never from 'zod' or 'zod/mini'.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
