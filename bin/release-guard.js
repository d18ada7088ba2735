#!/usr/bin/env node
// `npx release-guard …` runs this file: it loads the TypeScript CLI through the project's tsx, in this process.
import { register } from 'tsx/esm/api';

register();
await import('./release-guard.ts');
