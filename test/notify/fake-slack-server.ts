import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackAnswer = { status: number; body?: string; headers?: Record<string, string> };
export type ReceivedPost = { path: string; body: unknown; contentType: string | undefined };

/**
 * A local HTTP server that plays Slack's incoming webhook: each POST gets the next scripted answer (the last one
 * repeats), and is kept for the test to read. Slack answers 200 "ok", 429 "rate_limited" with Retry-After, 5xx.
 */
export async function fakeSlack(answers: SlackAnswer[] = [{ status: 200, body: 'ok' }]) {
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      posts.push({
        path: req.url ?? '',
        body: JSON.parse(raw) as unknown,
        contentType: req.headers['content-type'],
      });
      const answer = answers[Math.min(posts.length - 1, answers.length - 1)]!;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    posts,
    /** The webhook URL, whose path is the secret (as Slack's is). */
    url: (secretPath: string) => `http://127.0.0.1:${port}${secretPath}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
