import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reads a whole request body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * Slack's side, as a local HTTP server: the Web API's usergroups.users.list (with the bot token) and the
 * response_url of each action. Every request is recorded.
 */
export async function slackSide(options: { token: string; groups: Record<string, string[]> }) {
  const webApi: { url: string; authorization?: string }[] = [];
  const responses: { path: string; body: Record<string, unknown> }[] = [];
  let webApiStatus = 200;
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/api/usergroups.users.list') {
        webApi.push({ url: url.pathname + url.search, authorization: request.headers.authorization });
        const group = options.groups[url.searchParams.get('usergroup') ?? ''];
        response.writeHead(webApiStatus, { 'content-type': 'application/json' });
        if (webApiStatus !== 200) return response.end('{"ok":false,"error":"internal_error"}');
        if (request.headers.authorization !== `Bearer ${options.token}`) {
          return response.end('{"ok":false,"error":"invalid_auth"}');
        }
        return response.end(
          JSON.stringify(group ? { ok: true, users: group } : { ok: false, error: 'no_such_subteam' }),
        );
      }
      if (url.pathname.startsWith('/actions/')) {
        responses.push({
          path: url.pathname,
          body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
        });
        response.writeHead(200);
        return response.end('ok');
      }
      response.writeHead(404);
      response.end();
    })();
  });
  const url = await listen(server);
  return {
    url,
    webApi,
    responses,
    failWebApi: (status: number) => {
      webApiStatus = status;
    },
    close: () => close(server),
  };
}

/** A function URL in front of a handler: HTTP in, the payload-2.0 event Lambda would build, HTTP out. */
export async function functionUrlServer(
  handler: (
    event: unknown,
  ) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>,
) {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const result = await handler({
        version: '2.0',
        routeKey: '$default',
        rawPath: request.url ?? '/',
        rawQueryString: '',
        headers,
        requestContext: {
          http: { method: request.method ?? 'GET', path: request.url ?? '/' },
          requestId: 'r1',
        },
        // Lambda base64-encodes a form body (not a text/* or JSON content type).
        ...(body.length > 0
          ? { body: body.toString('base64'), isBase64Encoded: true }
          : { isBase64Encoded: false }),
      });
      response.writeHead(result.statusCode, result.headers ?? {});
      response.end(result.body ?? '');
    })();
  });
  const url = await listen(server);
  return { url, close: () => close(server) };
}
