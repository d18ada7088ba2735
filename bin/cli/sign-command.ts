import { SignatureV4 } from '@smithy/signature-v4';

import { NodeSha256 } from '../../lib/aws/sha256';

export { NodeSha256 };

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
export type SignedCommand = { url: URL; headers: Record<string, string>; body: string };

/** Signs a POST of `body` to the function URL as Lambda checks it for AuthType AWS_IAM (service `lambda`). */
export async function signCommand(options: {
  url: URL;
  region: string;
  body: string;
  credentials: Credentials;
  signingDate?: Date;
}): Promise<SignedCommand> {
  const { url, region, body, credentials } = options;
  const signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
  return { url, headers, body };
}
