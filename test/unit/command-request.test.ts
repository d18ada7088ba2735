import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { MAX_BODY_BYTES, parseCommandRequest } from '../../lib/command/request';

type UrlEvent = {
  headers: Record<string, string>;
  requestContext: {
    http: { method: string };
    authorizer?: { iam?: Record<string, unknown> };
    [key: string]: unknown;
  };
  body?: string;
  isBase64Encoded: boolean;
  [key: string]: unknown;
};

const FIXTURE = readFileSync(new URL('../fixtures/lambda/function-url-iam.json', import.meta.url), 'utf8');
/** A fresh copy per call: each test edits its own event. */
const loadUrlEvent = (): UrlEvent => JSON.parse(FIXTURE) as UrlEvent;

function refusal(event: unknown) {
  const parsed = parseCommandRequest(event);
  if (parsed.ok) throw new Error('expected a refusal');
  return { status: parsed.error.status, message: parsed.error.message, name: parsed.error.name };
}

describe('parseCommandRequest', () => {
  it('reads the caller from requestContext.authorizer.iam and the body as JSON', () => {
    const parsed = parseCommandRequest(loadUrlEvent());

    expect(parsed).toEqual({
      ok: true,
      request: {
        caller: {
          arn: 'arn:aws:sts::111111111111:assumed-role/Developer/dana.kowalski',
          accountId: '111111111111',
        },
        body: {
          command: 'hold',
          pipeline: 'leadout',
          reason: 'odd 5xx in Dev',
          until: '2026-12-04T16:00:00Z',
        },
      },
    });
  });

  it('decodes a base64 body', () => {
    const event = loadUrlEvent();
    event.body = Buffer.from('{"command":"status"}').toString('base64');
    event.isBase64Encoded = true;

    expect(parseCommandRequest(event)).toMatchObject({ ok: true, request: { body: { command: 'status' } } });
  });

  it('never takes an identity from headers or body', () => {
    const event = loadUrlEvent();
    event.headers['x-release-guard-user'] = 'arn:aws:iam::111111111111:role/Admin';
    event.body = JSON.stringify({ command: 'status', caller: 'arn:aws:iam::111111111111:role/Admin' });

    const parsed = parseCommandRequest(event);

    expect(parsed).toMatchObject({
      ok: true,
      request: { caller: { arn: 'arn:aws:sts::111111111111:assumed-role/Developer/dana.kowalski' } },
    });
  });

  it.each([
    ['no authorizer (a URL with AuthType NONE)', (e: UrlEvent) => delete e.requestContext.authorizer, 403],
    ['an authorizer without iam', (e: UrlEvent) => (e.requestContext.authorizer = {}), 403],
    [
      'an ARN of another account than accountId',
      (e: UrlEvent) => (e.requestContext.authorizer!.iam!.accountId = '222222222222'),
      403,
    ],
    ['a userArn that is no ARN', (e: UrlEvent) => (e.requestContext.authorizer!.iam!.userArn = 'dana'), 403],
    ['GET', (e: UrlEvent) => (e.requestContext.http.method = 'GET'), 400],
    ['no body', (e: UrlEvent) => delete e.body, 400],
    ['an empty body', (e: UrlEvent) => (e.body = ''), 400],
    ['a body that is not JSON', (e: UrlEvent) => (e.body = 'command=hold'), 400],
    [
      'a body over 8 KiB',
      (e: UrlEvent) => (e.body = JSON.stringify({ reason: 'x'.repeat(MAX_BODY_BYTES) })),
      400,
    ],
  ])('refuses %s', (_name, change, status) => {
    const event = loadUrlEvent();
    change(event);

    expect(refusal(event)).toMatchObject({ status, name: 'CommandRequestError' });
  });

  it('counts the decoded bytes of a base64 body, not its characters', () => {
    const event = loadUrlEvent();
    const text = JSON.stringify({ command: 'status', pad: 'é'.repeat(4100) }); // over 8192 bytes, about 4100 characters
    event.body = Buffer.from(text).toString('base64');
    event.isBase64Encoded = true;

    expect(refusal(event).message).toMatch(/^body is \d+ bytes; at most 8192 are accepted$/);
  });

  it('refuses an event that is not a function URL request', () => {
    expect(refusal({ 'detail-type': 'CodePipeline Stage Execution State Change' })).toMatchObject({
      status: 400,
    });
    expect(refusal(null)).toMatchObject({ status: 400 });
  });

  it('names the missing AWS_IAM auth', () => {
    const event = loadUrlEvent();
    delete event.requestContext.authorizer;

    expect(refusal(event).message).toBe(
      'no IAM identity on the request: the function URL must use AuthType AWS_IAM',
    );
  });
});
