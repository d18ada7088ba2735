import type { AccountTarget, CredentialsProvider } from './assumed-role';
import { assumedRoleCredentials, sessionName } from './assumed-role';
import { clientSettings } from './client-settings';
import { awsClient, type ClientSettings } from './clients';

/**
 * awsClient in Dev's or Prod's own account when config `environments` gives it one (through the configured role,
 * lib/aws/assumed-role.ts), else in the guard's own. Only the functions that work there import this module (its
 * AssumeRole is one signed call, lib/aws/sts-assume-role.ts: the SDK's STS client cost +12 to +14 KiB zipped).
 */
export function awsClientIn<C extends { send(command: never, ...rest: never[]): Promise<unknown> }>(
  Client: new (config: ClientSettings) => C,
  service: string,
  target: AccountTarget | undefined,
): C {
  const settings: ClientSettings = clientSettings();
  if (target) {
    settings.credentials = credentialsOf(target);
    if (target.region) settings.region = target.region;
  }
  return awsClient(Client, service, settings);
}

/** One provider per role for all clients of this Lambda instance: one STS call per hour, whatever the clients. */
const providers = new Map<string, CredentialsProvider>();

function credentialsOf(target: AccountTarget): CredentialsProvider {
  const key = `${target.roleArn} ${target.externalId}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = assumedRoleCredentials(target, {
      sessionName: sessionName(process.env.AWS_LAMBDA_FUNCTION_NAME),
      stsConfig: clientSettings(),
    });
    providers.set(key, provider);
  }
  return provider;
}
