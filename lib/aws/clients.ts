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
    settings.credentials = assumedRoleCredentials(target, {
      sessionName: sessionName(process.env.AWS_LAMBDA_FUNCTION_NAME),
      stsConfig: clientSettings(),
    });
    if (target.region) settings.region = target.region;
  }
  return namingCalls(new Client(settings), service);
}
