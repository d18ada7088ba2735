/**
 * A local stand-in for an AWS service endpoint on 127.0.0.1 (node:http): it RECOMPUTES each request's SigV4
 * signature from what arrived (the body's own hash, the credentials the test gave, the request's x-amz-date) and
 * answers 403 IncompleteSignature when it differs, else the next scripted answer. Nothing reaches AWS.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SignatureV4 } from '@smithy/signature-v4';

import { NodeSha256 } from '../../lib/aws/sha256';

export type StandInRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
/** An answer, `hang` (accept and never answer), or `reset` (close the connection without an answer). */
export type StandInAnswer =
  { status: number; body: string; headers?: Record<string, string> } | 'hang' | 'reset';

export const STAND_IN_CREDENTIALS = {
  accessKeyId: 'AKIASTANDIN',
  secretAccessKey: 'stand-in-secret',
  sessionToken: 'stand-in-token',
};

export async function startAwsStandIn(options: { service: string; region: string }) {
  const received: StandInRequest[] = [];
  const signatureOk: boolean[] = [];
  const script: StandInAnswer[] = [];
  let fallback: StandInAnswer = { status: 200, body: '{}' };
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got: StandInRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(got);
      void recompute(got, options.service, options.region, port).then((expected) => {
        const ok = expected === got.headers.authorization;
        signatureOk.push(ok);
        const answer = script.shift() ?? fallback;
        if (!ok) {
          response.writeHead(403, { 'content-type': 'text/xml' });
          response.end(
            '<ErrorResponse><Error><Code>IncompleteSignature</Code><Message>bad</Message></Error></ErrorResponse>',
          );
        } else if (answer === 'hang') {
          hanging.push(response);
        } else if (answer === 'reset') {
          request.socket.destroy();
        } else {
          response.writeHead(answer.status, answer.headers ?? {});
          response.end(answer.body);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    signatureOk,
    /** The next answers, in order; then `otherwise` (default 200 `{}`). */
    answer(...next: StandInAnswer[]) {
      script.push(...next);
    },
    otherwise(answer: StandInAnswer) {
      fallback = answer;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function recompute(request: StandInRequest, service: string, region: string, port: number) {
  const signedHeaders =
    /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (['x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'].includes(name)) continue;
    headers[name] = String(request.headers[name]);
  }
  const signer = new SignatureV4({ service, region, credentials: STAND_IN_CREDENTIALS, sha256: NodeSha256 });
  // restJson1 requests carry a query string: signed as its parameters, apart from the (still encoded) path.
  const [path = '', search = ''] = request.path.split('?', 2);
  const query = Object.fromEntries(new URLSearchParams(search));
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(request.headers['x-amz-date']));
  if (date === null) return undefined;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path,
      query,
      headers,
      body: request.body,
    },
    { signingDate: new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`) },
  );
  return String(signed.headers.authorization);
}
