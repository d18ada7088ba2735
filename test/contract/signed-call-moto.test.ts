/**
 * lib/aws/signed-call.ts's wire formats against moto_server, where moto implements the operation: STS AssumeRole
 * (query protocol, XML answer) and SSM GetParameter (awsJson1_1). moto checks no signature; the signature itself is
 * checked by test/unit/signed-call.test.ts's stand-in, which recomputes it. GetCalendarState is not in moto.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { callOf } from '../../lib/act/calls';
import { assumedRoleCredentials } from '../../lib/aws/assumed-role';
import { GetParameterCommand, ssmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { motoClientConfig } from '../support/moto';

const NAME = `/leadout/release-guard/test-${randomUUID().slice(0, 8)}/slack-webhook`;
const VALUE = 'https://hooks.slack.com/services/T000/B000/secret-part';
let setup: SSMClient;

beforeAll(async () => {
  setup = new SSMClient(motoClientConfig(inject('motoEndpoint')));
  await setup.send(
    new PutParameterCommand({ Name: NAME, Value: VALUE, Type: 'SecureString', Overwrite: true }),
  );
});

afterAll(() => setup.destroy());

describe('signed calls against moto_server', () => {
  it('assumes a role with STS AssumeRole and reads the credentials moto hands back', async () => {
    // Prepare
    const credentials = assumedRoleCredentials(
      {
        environment: 'dev',
        accountId: '222233334444',
        roleArn: 'arn:aws:iam::222233334444:role/leadout-release-guard-test-dev-access',
        externalId: 'leadout-release-guard-test-dev',
      },
      { sessionName: 'release-guard-test', stsConfig: motoClientConfig(inject('motoEndpoint')) },
    );

    // Act
    const got = await credentials();

    // Assess
    expect(got.accessKeyId).toMatch(/^ASIA/);
    expect(got.secretAccessKey).toEqual(expect.any(String));
    expect(got.sessionToken).toEqual(expect.any(String));
    expect(got.expiration!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it('reads a SecureString decrypted with GetParameter', async () => {
    // Prepare
    const parameter = makeSecureParameter(ssmClient(motoClientConfig(inject('motoEndpoint'))), NAME, {
      maxAgeMs: 1000,
      now: Date.now,
    });

    // Act / Assess
    await expect(parameter.read()).resolves.toBe(VALUE);
  });

  it('surfaces ParameterNotFound with its code, naming the call, without retrying', async () => {
    // Act
    const error = await ssmClient(motoClientConfig(inject('motoEndpoint')))
      .send(new GetParameterCommand({ Name: `${NAME}-missing`, WithDecryption: true }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'ParameterNotFound',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect(callOf(error)).toBe('ssm.GetParameter');
  });
});
