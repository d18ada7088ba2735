import type { AwsCredentialIdentity } from '@aws-sdk/types';

import {
  awsQuery,
  MalformedAwsResponseError,
  xmlElement,
  xmlText,
  type SignedCallSettings,
} from './signed-call';

/** The AssumeRole parameters the guard sends (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
export type AssumeRoleInput = {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId?: string;
  DurationSeconds?: number;
};

type Next = (args: { input: AssumeRoleInput }) => Promise<unknown>;
type Middleware = (next: Next, context: object) => Next;
/** A test's plugin, as an SDK client takes it: its middleware wraps each AssumeRole (the guard's code adds none). */
export type StsPlugin = {
  applyToStack(stack: { add(middleware: Middleware, options?: unknown): void }): void;
};

/**
 * A credential provider that calls STS AssumeRole (query protocol, version 2011-06-15) on every call: the caller
 * keeps the answer (lib/aws/assumed-role.ts `keptUntilExpiry`). Of the XML answer only
 * `AssumeRoleResult/Credentials` is read; an answer without all four of its fields, or with an expiry that is not a
 * time, is a MalformedAwsResponseError naming the missing field (never a value).
 */
export function assumeRoleProvider(
  input: AssumeRoleInput,
  settings: SignedCallSettings,
  plugins: readonly StsPlugin[] = [],
): () => Promise<AwsCredentialIdentity> {
  const query = awsQuery('sts', '2011-06-15', settings);
  let send: Next = async (args) => credentialsIn(await query('AssumeRole', { ...args.input }));
  for (const plugin of plugins) {
    plugin.applyToStack({
      add(middleware) {
        send = middleware(send, {});
      },
    });
  }
  return async () => (await send({ input: { ...input } })) as AwsCredentialIdentity;
}

/** The Credentials of an AssumeRole answer. */
export function credentialsIn(xml: string): AwsCredentialIdentity {
  const result = xmlElement(xml, 'AssumeRoleResult');
  const credentials = result === undefined ? undefined : xmlElement(result, 'Credentials');
  if (credentials === undefined) {
    throw new MalformedAwsResponseError('sts.AssumeRole answered without AssumeRoleResult/Credentials');
  }
  const field = (name: string): string => {
    const value = xmlText(credentials, name);
    if (!value) throw new MalformedAwsResponseError(`sts.AssumeRole answered without Credentials/${name}`);
    return value;
  };
  const accessKeyId = field('AccessKeyId');
  const secretAccessKey = field('SecretAccessKey');
  const sessionToken = field('SessionToken');
  const expiration = new Date(field('Expiration'));
  if (Number.isNaN(expiration.getTime())) {
    throw new MalformedAwsResponseError(
      'sts.AssumeRole answered a Credentials/Expiration that is not a time',
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration };
}
