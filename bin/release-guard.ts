import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

import { runReleaseGuard } from './cli/run-release-guard';

process.exitCode = await runReleaseGuard(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
  credentials: (profile) => fromNodeProviderChain(profile === undefined ? {} : { profile })(),
  fetch,
  now: () => new Date(),
});
