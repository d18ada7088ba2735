import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Replaces `@aws-sdk/credential-provider-node` in the Lambda bundles (serverless.yml `esbuild.alias`). Lambda puts the
 * execution role's credentials in the environment; the full chain (SSO, INI files, IMDS, web identity) would only add
 * ~90 KiB to every function. Tests and the simulator do not use this module.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
