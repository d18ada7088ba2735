import { namingCalls } from '../act/calls';
import {
  assumedRoleCredentials,
  sessionName,
  type AccountTarget,
  type CredentialsProvider,
} from './assumed-role';
import { clientSettings } from './client-settings';

type Settings = ReturnType<typeof clientSettings> & {
  region?: string;
  credentials?: CredentialsProvider;
};

/**
 * A real SDK client as every handler.ts builds it: with the guard's timeouts, its errors naming their call. With a
 * target (Dev or Prod in another account: lib/aws/assumed-role.ts) it works there, through the configured role.
 */
export function awsClient<C extends { send(command: never, ...rest: never[]): Promise<unknown> }>(
  Client: new (config: Settings) => C,
  service: string,
  target?: AccountTarget,
): C {
  const settings: Settings = clientSettings();
  if (target) {
    settings.credentials = credentialsOf(target);
    if (target.region) settings.region = target.region;
  }
  return namingCalls(new Client(settings), service);
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
