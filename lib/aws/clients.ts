import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { namingCalls } from '../act/calls';
import { clientSettings } from './client-settings';

export type ClientSettings = ReturnType<typeof clientSettings> & {
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
};

/** A real SDK client as every handler.ts builds it: with the guard's timeouts, its errors naming their call. */
export function awsClient<C extends { send(command: never, ...rest: never[]): Promise<unknown> }>(
  Client: new (config: ClientSettings) => C,
  service: string,
  settings: ClientSettings = clientSettings(),
): C {
  return namingCalls(new Client(settings), service);
}
