import { namingCalls } from '../act/calls';
import { clientSettings } from './client-settings';

/** A real SDK client as every handler.ts builds it: with the guard's timeouts, its errors naming their call. */
export function awsClient<C extends { send(command: never, ...rest: never[]): Promise<unknown> }>(
  Client: new (config: ReturnType<typeof clientSettings>) => C,
  service: string,
): C {
  return namingCalls(new Client(clientSettings()), service);
}
