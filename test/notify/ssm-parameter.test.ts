import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GetParameterCommand, GetParameterOutput } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';

const NAME = '/leadout/release-guard/slack-webhook';
/** SSM's side (its wire protocol: test/unit/signed-call.test.ts, test/contract/signed-call-moto.test.ts). */
const send = vi.fn<(command: GetParameterCommand) => Promise<GetParameterOutput>>();
const client = () => ({ send });
const inputs = () => send.mock.calls.map(([command]) => command.input);

beforeEach(() => {
  send.mockReset();
  send.mockResolvedValue({
    Parameter: { Name: NAME, Value: 'https://hooks.slack.com/services/T/B/x' },
  });
});

describe('the webhook URL from SSM Parameter Store', () => {
  it('is read decrypted, then served from memory until maxAge is over', async () => {
    let now = 0;
    const parameter = makeSecureParameter(client(), NAME, {
      maxAgeMs: 300_000,
      now: () => now,
    });

    await parameter.read();
    now = 299_999;
    await parameter.read();
    expect(inputs()).toEqual([{ Name: NAME, WithDecryption: true }]);

    now = 300_000;
    await expect(parameter.read()).resolves.toBe('https://hooks.slack.com/services/T/B/x');
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('is read again at once after Slack refused it (forget)', async () => {
    const parameter = makeSecureParameter(client(), NAME, {
      maxAgeMs: 300_000,
      now: () => 0,
    });

    await parameter.read();
    parameter.forget();
    await parameter.read();

    expect(send).toHaveBeenCalledTimes(2);
  });

  it('fails, naming the parameter but no value, when it is empty', async () => {
    send.mockResolvedValue({ Parameter: { Name: NAME } });
    const parameter = makeSecureParameter(client(), NAME, {
      maxAgeMs: 1,
      now: () => 0,
    });

    await expect(parameter.read()).rejects.toThrow(`SSM parameter ${NAME} has no value`);
  });
});
