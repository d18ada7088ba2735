import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { EnvironmentName, GuardConfig, OtherAccount } from '../../config/schema';
import type { SignedCallSettings } from './signed-call';
import { assumeRoleProvider, type StsPlugin } from './sts-assume-role';

/** What an SDK client takes as `credentials`. */
export type CredentialsProvider = AwsCredentialIdentityProvider;

/** Dev or Prod in another account, as a client needs it: which environment, where, and through which role. */
export type AccountTarget = OtherAccount & { environment: EnvironmentName };

/** The configured account of an environment, or undefined: the guard's own account and its own role. */
export function accountOf(config: GuardConfig, environment: EnvironmentName): AccountTarget | undefined {
  const target = config.environments[environment];
  return target && { ...target, environment };
}

/** An STS RoleSessionName: 2–64 of [\w+=,.@-]. CloudTrail in the Dev/Prod account shows which function it was. */
export function sessionName(functionName: string | undefined): string {
  const name = `release-guard-${functionName ?? 'local'}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, 64);
}

/** The SDK refreshes credentials this long before they expire (@smithy/core's memoizeIdentityProvider too). */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of `target.roleArn`, assumed with its external id (STS AssumeRole signed by lib/aws/sts-assume-role.ts,
 * with the guard's timeouts and the SDK's retries), kept until 5 minutes before they expire and shared by every
 * client that holds this provider (lib/aws/clients.ts gives all clients of a Lambda one per role): a warm Lambda
 * makes one STS call per hour, not one per event or per client. A refusal is not kept (the next call tries again);
 * it names the role, the account and the environment, keeps STS's error name (AccessDenied is final, throttling is
 * retried), and the client's `namingCalls` adds the call it was for (`cloudwatch.DescribeAlarms`).
 */
export function assumedRoleCredentials(
  target: AccountTarget,
  options: {
    sessionName: string;
    /** The STS call's settings: the guard's timeouts, its region; tests add an endpoint and credentials. */
    stsConfig: SignedCallSettings;
    /** Tests: initialize-step middleware, as on an SDK client's stack, that sees each AssumeRole input. */
    stsPlugins?: StsPlugin[];
    now?: () => number;
  },
): CredentialsProvider {
  const provider = assumeRoleProvider(
    {
      RoleArn: target.roleArn,
      ExternalId: target.externalId,
      RoleSessionName: options.sessionName,
      DurationSeconds: 3600,
    },
    options.stsConfig,
    options.stsPlugins,
  );
  return keptUntilExpiry(provider, (error) => assumeRoleFailed(target, error), options.now ?? Date.now);
}

/**
 * A provider whose credentials are reused until 5 minutes before they expire, by every caller (those that ask while
 * STS answers wait for the same answer). A failure is not kept: the next call asks again.
 */
export function keptUntilExpiry(
  provider: CredentialsProvider,
  failure: (error: unknown) => Error,
  now: () => number,
): CredentialsProvider {
  let held: ReturnType<CredentialsProvider> | undefined;
  let expiresAt = -Infinity;
  return (properties) => {
    const forced = (properties as { forceRefresh?: boolean } | undefined)?.forceRefresh === true;
    if (held && !forced && now() < expiresAt - REFRESH_BEFORE_MS) return held;
    const pending = provider(properties).then(
      (credentials) => {
        expiresAt = credentials.expiration?.getTime() ?? -Infinity;
        return credentials;
      },
      (error: unknown) => {
        if (held === pending) held = undefined;
        throw failure(error);
      },
    );
    held = pending;
    // Calls that arrive while STS answers wait for the same answer.
    expiresAt = Infinity;
    return pending;
  };
}

const ASSUMED = Symbol.for('release-guard.assume-role');

/** STS refused (or did not answer): the same error kind, saying which role in which account could not be assumed. */
export function assumeRoleFailed(target: AccountTarget, error: unknown): Error {
  if (error instanceof Error && ASSUMED in error) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  const failure = new Error(
    `sts.AssumeRole of ${target.roleArn} (the ${target.environment} account ${target.accountId}, with its ` +
      `external id) failed: ${original.name}: ${original.message}. Check that the role exists, trusts this ` +
      `function's role with that external id, and that this function may assume it (README "Dev and Prod in ` +
      `other accounts").`,
    { cause: original },
  );
  failure.name = original.name;
  for (const key of ['$metadata', '$fault', '$retryable'] as const) {
    if (key in original) Object.defineProperty(failure, key, { value: (original as never)[key] });
  }
  Object.defineProperty(failure, ASSUMED, { value: true });
  return failure;
}
