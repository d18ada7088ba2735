import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

import { exportHistory } from './cli/export-history';
import { runReleaseGuard } from './cli/run-release-guard';

const credentials = (profile: string | undefined) =>
  fromNodeProviderChain(profile === undefined ? {} : { profile })();
const [first, ...rest] = process.argv.slice(2);

process.exitCode =
  first === 'export-history'
    ? await exportHistory(rest, {
        env: process.env,
        stdout: (text) => console.log(text),
        stderr: (text) => console.error(text),
        credentials,
        now: () => new Date(),
      })
    : await runReleaseGuard(process.argv.slice(2), {
        env: process.env,
        stdout: (text) => console.log(text),
        stderr: (text) => console.error(text),
        credentials,
        fetch,
        now: () => new Date(),
      });
