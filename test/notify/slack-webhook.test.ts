import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSlackPoster, SlackDeliveryError } from '../../lib/slack-webhook';
import { fakeSlack } from './fake-slack-server';

const SECRET_PATH = '/services/T0LEADOUT/B0GUARD/s3cr3tW3bh00kT0k3n';
const message = {
  text: ':white_check_mark: Approved leadout 3b9e7c2 into Prod',
  blocks: [{ type: 'divider' }],
};

let slack: Awaited<ReturnType<typeof fakeSlack>> | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

function prepare(url: string) {
  const waits: number[] = [];
  const source = { read: vi.fn(async () => url), forget: vi.fn() };
  const poster = makeSlackPoster({
    url: source,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { poster, waits, source };
}

describe('delivery through @slack/webhook to a local server playing Slack', () => {
  it('posts the Block Kit message once on 200', async () => {
    slack = await fakeSlack([{ status: 200, body: 'ok' }]);
    const { poster, waits } = prepare(slack.url(SECRET_PATH));

    const result = await poster.post(message);

    expect(result).toEqual({ attempts: 1 });
    expect(slack.posts).toEqual([{ path: SECRET_PATH, body: message, contentType: 'application/json' }]);
    expect(waits).toEqual([]);
  });

  it('waits as long as Retry-After says on 429, then posts', async () => {
    slack = await fakeSlack([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } },
      { status: 200, body: 'ok' },
    ]);
    const { poster, waits } = prepare(slack.url(SECRET_PATH));

    const result = await poster.post(message);

    expect(result).toEqual({ attempts: 2 });
    expect(waits).toEqual([3_000]);
    expect(slack.posts).toHaveLength(2);
  });

  it('leaves a Retry-After longer than it may wait to the Lambda retry (throws at once)', async () => {
    slack = await fakeSlack([{ status: 429, body: 'rate_limited', headers: { 'retry-after': '60' } }]);
    const { poster, waits } = prepare(slack.url(SECRET_PATH));

    await expect(poster.post(message)).rejects.toThrow(
      'Slack did not take the message after 1 attempt(s): HTTP 429 rate_limited, and asked to wait 60 s',
    );
    expect(waits).toEqual([]);
    expect(slack.posts).toHaveLength(1);
  });

  it('backs off 1, 2, 4 s on 500 and gives up after 4 attempts with a SlackDeliveryError', async () => {
    slack = await fakeSlack([{ status: 500, body: 'internal_error' }]);
    const { poster, waits } = prepare(slack.url(SECRET_PATH));

    const failure = await poster.post(message).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(SlackDeliveryError);
    expect((failure as SlackDeliveryError).status).toBe(500);
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(slack.posts).toHaveLength(4);
  });

  it('recovers from a 503 on the next attempt', async () => {
    slack = await fakeSlack([
      { status: 503, body: 'service_unavailable' },
      { status: 200, body: 'ok' },
    ]);
    const { poster } = prepare(slack.url(SECRET_PATH));

    await expect(poster.post(message)).resolves.toEqual({ attempts: 2 });
  });

  it('does not retry a refused payload (400), and forgets a revoked webhook URL (404)', async () => {
    slack = await fakeSlack([{ status: 400, body: 'invalid_blocks' }]);
    const bad = prepare(slack.url(SECRET_PATH));
    await expect(bad.poster.post(message)).rejects.toThrow('HTTP 400 invalid_blocks');
    expect(slack.posts).toHaveLength(1);
    expect(bad.source.forget).not.toHaveBeenCalled();
    await slack.close();

    slack = await fakeSlack([{ status: 404, body: 'no_service' }]);
    const revoked = prepare(slack.url(SECRET_PATH));
    await expect(revoked.poster.post(message)).rejects.toThrow('HTTP 404 no_service');
    expect(revoked.source.forget).toHaveBeenCalledOnce();
  });

  it('retries when nothing answers, and never puts the URL in the error', async () => {
    slack = await fakeSlack();
    const url = slack.url(SECRET_PATH);
    await slack.close();
    slack = undefined;
    const { poster, waits } = prepare(url);

    const failure = (await poster.post(message).catch((e: unknown) => e)) as Error;

    expect(failure).toBeInstanceOf(SlackDeliveryError);
    expect(failure.message).toMatch(/after 4 attempt\(s\): no response \(ECONNREFUSED\)/);
    expect(failure.message).not.toContain('s3cr3t');
    expect(waits).toHaveLength(3);
  });

  it.each([
    [
      'an error page echoing the request path',
      502,
      `<html>Bad gateway for POST ${SECRET_PATH}</html>`,
      'HTTP 502',
    ],
    ['a proxy echoing the secret in plain text', 403, `forbidden s3cr3tW3bh00kT0k3n`, 'HTTP 403'],
    ['a Slack code followed by more text', 400, 'invalid_payload s3cr3tW3bh00kT0k3n', 'HTTP 400'],
    ['a known Slack code alone', 404, 'channel_not_found', 'HTTP 404 channel_not_found'],
    ['a token-shaped body that is not a Slack code', 400, 's3cr3tW3bh00kT0k3n', 'HTTP 400'],
  ])('keeps only the status and a documented Slack error code from %s', async (_case, status, body, what) => {
    // Prepare
    slack = await fakeSlack([{ status, body }]);
    const { poster } = prepare(slack.url(SECRET_PATH));

    // Act
    const failure = (await poster.post(message).catch((e: unknown) => e)) as SlackDeliveryError;

    // Assess
    expect(failure).toBeInstanceOf(SlackDeliveryError);
    expect(failure.message).toMatch(new RegExp(`attempt\\(s\\): ${what}$`));
    expect(JSON.stringify({ ...failure, message: failure.message, stack: failure.stack })).not.toContain(
      's3cr3t',
    );
  });
});
