import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SignatureV4 } from '@smithy/signature-v4';

import { NodeSha256, type Credentials } from '../../bin/cli/sign-command';

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type Answer = { status: number; body: string; contentType?: string };

/** A stand-in for the function URL on 127.0.0.1: records each request and answers what the test set. */
export async function startGuardServer(): Promise<{
  url: string;
  port: number;
  received: ReceivedRequest[];
  answer: (next: Answer) => void;
  close: () => Promise<void>;
}> {
  const received: ReceivedRequest[] = [];
  let current: Answer = { status: 200, body: JSON.stringify({ ok: true, message: 'done' }) };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(current.status, { 'content-type': current.contentType ?? 'application/json' });
      response.end(current.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    received,
    answer: (next) => {
      current = next;
    },
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Signs the request as received, with the same credentials, the way Lambda checks it: the payload hash is
 * recomputed from the body that arrived (not taken from the x-amz-content-sha256 header) and the token and date
 * come from the credentials and the request's x-amz-date.
 */
export async function recomputeAuthorization(
  request: ReceivedRequest,
  options: { credentials: Credentials; region: string; port: number },
): Promise<string> {
  const signedHeaders =
    /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (['x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'].includes(name)) continue;
    headers[name] = String(request.headers[name]);
  }
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: options.port,
      path: request.path,
      query: {},
      headers,
      body: request.body,
    },
    { signingDate: parseAmzDate(String(request.headers['x-amz-date'])) },
  );
  return String(signed.headers.authorization);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function parseAmzDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) throw new Error(`not an x-amz-date: ${text}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}
