import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';

const ssm = mockClient(SSMClient);
const NAME = '/leadout/release-guard/slack-webhook';

beforeEach(() => {
  ssm.reset();
  ssm.on(GetParameterCommand).resolves({
    Parameter: { Name: NAME, Type: 'SecureString', Value: 'https://hooks.slack.com/services/T/B/x' },
  });
});

describe('the webhook URL from SSM Parameter Store', () => {
  it('is read decrypted, then served from memory until maxAge is over', async () => {
    let now = 0;
    const parameter = makeSecureParameter(new SSMClient({ region: 'eu-west-1' }), NAME, {
      maxAgeMs: 300_000,
      now: () => now,
    });

    await parameter.read();
    now = 299_999;
    await parameter.read();
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: NAME, WithDecryption: true });

    now = 300_000;
    await expect(parameter.read()).resolves.toBe('https://hooks.slack.com/services/T/B/x');
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('is read again at once after Slack refused it (forget)', async () => {
    const parameter = makeSecureParameter(new SSMClient({ region: 'eu-west-1' }), NAME, {
      maxAgeMs: 300_000,
      now: () => 0,
    });

    await parameter.read();
    parameter.forget();
    await parameter.read();

    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('fails, naming the parameter but no value, when it is empty', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: NAME } });
    const parameter = makeSecureParameter(new SSMClient({ region: 'eu-west-1' }), NAME, {
      maxAgeMs: 1,
      now: () => 0,
    });

    await expect(parameter.read()).rejects.toThrow(`SSM parameter ${NAME} has no value`);
  });
});
