import { GetParameterCommand, type GetParameterOutput } from './ssm';

/** lib/aws/ssm.ts `ssmClient()`, or the simulator's SSM. */
export type SsmSender = { send(command: GetParameterCommand): Promise<GetParameterOutput> };

export class MissingParameterError extends Error {
  override name = 'MissingParameterError';
}

/**
 * A SecureString read at run time, decrypted, and kept in memory for `maxAgeMs`, so a warm Lambda asks SSM
 * about once per maxAge. The value is returned, never logged, and never put in an error message.
 */
export function makeSecureParameter(
  client: SsmSender,
  name: string,
  options: { maxAgeMs: number; now: () => number },
) {
  let cached: { value: string; until: number } | undefined;
  return {
    async read(): Promise<string> {
      if (cached && options.now() < cached.until) return cached.value;
      const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      if (typeof Parameter?.Value !== 'string' || Parameter.Value === '')
        throw new MissingParameterError(`SSM parameter ${name} has no value`);
      cached = { value: Parameter.Value, until: options.now() + options.maxAgeMs };
      return cached.value;
    },
    /** The value was refused (e.g. a rotated webhook): read it again next time. */
    forget(): void {
      cached = undefined;
    },
  };
}
