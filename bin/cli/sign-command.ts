import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

import { SignatureV4 } from '@smithy/signature-v4';

/** What SignatureV4 hashes: the SDK's SourceData. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (or its HMAC, given a secret) for SignatureV4, from node:crypto rather than one more package. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.start();
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.start();
  }
  private start(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

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
