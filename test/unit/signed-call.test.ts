import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { callOf } from '../../lib/act/calls';
import { assumedRoleCredentials, type AccountTarget } from '../../lib/aws/assumed-role';
import { getChangeCalendarState } from '../../lib/aws/change-calendar';
import { AwsCallError, endpointOf, MalformedAwsResponseError } from '../../lib/aws/signed-call';
import { GetParameterCommand, ssmClient } from '../../lib/aws/ssm';
import { makeSecureParameter } from '../../lib/aws/ssm-parameter';
import { isTransientAwsError } from '../../lib/errors';
import { STAND_IN_CREDENTIALS, startAwsStandIn } from '../support/aws-stand-in';

const REGION = 'eu-west-1';
const dev: AccountTarget = {
  environment: 'dev',
  accountId: '222233334444',
  roleArn: 'arn:aws:iam::222233334444:role/leadout-release-guard-dev-access',
  externalId: 'leadout-dev-external-id',
};
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function assumeRoleAnswer(expiration: string, secret = SECRET) {
  return (
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
    '<SourceIdentity>x</SourceIdentity><AssumedRoleUser><Arn>arn:aws:sts::222233334444:assumed-role/r/s</Arn>' +
    '<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>' +
    `<SecretAccessKey>${secret}</SecretAccessKey><SessionToken>token&amp;more</SessionToken>` +
    `<Expiration>${expiration}</Expiration></Credentials><PackedPolicySize>6</PackedPolicySize>` +
    '</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata></AssumeRoleResponse>'
  );
}
const STS_ACCESS_DENIED =
  '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
  '<Code>AccessDenied</Code><Message>User: arn:aws:sts::111122223333:assumed-role/g/s is not authorized to ' +
  'perform: sts:AssumeRole on resource: arn:aws:iam::222233334444:role/x</Message></Error>' +
  '<RequestId>1a2b</RequestId></ErrorResponse>';
const THROTTLED = {
  status: 400,
  headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral/' },
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};

let stand: Awaited<ReturnType<typeof startAwsStandIn>>;
let waits: number[];
const settings = (extra: object = {}) => ({
  endpoint: stand.url,
  region: REGION,
  credentials: STAND_IN_CREDENTIALS,
  sleep: async (ms: number) => {
    waits.push(ms);
  },
  random: () => 1,
  ...extra,
});

describe('SSM over a signed call (awsJson1_1), against a stand-in that recomputes the signature', () => {
  beforeEach(async () => {
    stand = await startAwsStandIn({ service: 'ssm', region: REGION });
    waits = [];
  });
  afterEach(() => stand.close());

  it('signs GetParameter as AWS checks it, asks for the decrypted value and reads it', async () => {
    // Prepare
    stand.answer({
      status: 200,
      body: JSON.stringify({
        Parameter: { Name: '/w', Type: 'SecureString', Value: 'https://hooks/x', Version: 3 },
      }),
    });
    const parameter = makeSecureParameter(ssmClient(settings()), '/w', { maxAgeMs: 1000, now: () => 0 });

    // Act
    const value = await parameter.read();

    // Assess
    expect(value).toBe('https://hooks/x');
    expect(stand.signatureOk).toEqual([true]);
    const [request] = stand.received;
    expect(request?.headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers['x-amz-security-token']).toBe(STAND_IN_CREDENTIALS.sessionToken);
    expect(JSON.parse(request!.body)).toEqual({ Name: '/w', WithDecryption: true });
  });

  it('asks GetCalendarState for every calendar at the second given', async () => {
    // Prepare
    stand.answer({
      status: 200,
      body: JSON.stringify({
        State: 'CLOSED',
        AtTime: '2026-11-28T10:00:00Z',
        NextTransitionTime: '2026-11-30T07:00:00Z',
      }),
    });

    // Act
    const state = await getChangeCalendarState(
      ssmClient(settings()),
      ['leadout-prod', 'company-holidays'],
      new Date('2026-11-28T10:00:00.250Z'),
    );

    // Assess
    expect(state).toEqual({ state: 'CLOSED', nextTransitionTime: new Date('2026-11-30T07:00:00Z') });
    expect(stand.received[0]?.headers['x-amz-target']).toBe('AmazonSSM.GetCalendarState');
    expect(JSON.parse(stand.received[0]!.body)).toEqual({
      CalendarNames: ['leadout-prod', 'company-holidays'],
      AtTime: '2026-11-28T10:00:00Z',
    });
  });

  it('retries throttling with backoff (3 attempts, as the SDK) and then answers', async () => {
    // Prepare
    stand.answer(THROTTLED, THROTTLED, { status: 200, body: '{"State":"OPEN"}' });

    // Act
    const state = await getChangeCalendarState(ssmClient(settings()), ['leadout-prod']);

    // Assess
    expect(state).toEqual({ state: 'OPEN' });
    expect(stand.received).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up after 3 throttled attempts with a retryable ThrottlingException naming its call', async () => {
    // Prepare
    stand.otherwise(THROTTLED);

    // Act
    const error = await getChangeCalendarState(ssmClient(settings()), ['leadout-prod']).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $retryable: { throttling: true },
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    expect(isTransientAwsError(error)).toBe(true);
    expect(callOf(error)).toBe('ssm.GetCalendarState');
    expect(stand.received).toHaveLength(3);
  });

  it('retries a 5xx and a reset connection', async () => {
    // Prepare
    stand.answer({ status: 503, body: '' }, 'reset', { status: 200, body: '{"State":"OPEN"}' });

    // Act
    const state = await getChangeCalendarState(ssmClient(settings()), ['leadout-prod']);

    // Assess
    expect(state).toEqual({ state: 'OPEN' });
    expect(stand.received).toHaveLength(3);
    expect(waits).toEqual([200, 400]);
  });

  it('does not retry a refusal: its AWS code is the error name, without namespace', async () => {
    // Prepare
    stand.otherwise({
      status: 400,
      body: JSON.stringify({ __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'no /w' }),
    });

    // Act
    const error = await ssmClient(settings())
      .send(new GetParameterCommand({ Name: '/w', WithDecryption: true }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'ParameterNotFound', message: 'no /w', $fault: 'client' });
    expect(isTransientAwsError(error)).toBe(false);
    expect(stand.received).toHaveLength(1);
  });

  it.each([
    ['not JSON', 'no JSON body'],
    ['[1,2]', 'no JSON object'],
  ])('fails closed on a 200 whose body is %s, and says nothing of it', async (body, message) => {
    // Prepare
    stand.otherwise({ status: 200, body });

    // Act
    const reading = getChangeCalendarState(ssmClient(settings()), ['leadout-prod']);

    // Assess
    await expect(reading).rejects.toThrow(MalformedAwsResponseError);
    await expect(getChangeCalendarState(ssmClient(settings()), ['leadout-prod'])).rejects.toThrow(message);
    expect(stand.received).toHaveLength(2);
  });

  it('times out an endpoint that never answers, 3 attempts, as a TimeoutError', async () => {
    // Prepare
    stand.otherwise('hang');
    const client = ssmClient(
      settings({
        requestHandler: { connectionTimeout: 200, requestTimeout: 150, throwOnRequestTimeout: true },
      }),
    );

    // Act
    const error = await client.send(new GetParameterCommand({ Name: '/w' })).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(isTransientAwsError(error)).toBe(true);
    expect(stand.received).toHaveLength(3);
  });
});

describe('STS AssumeRole over a signed call (query protocol)', () => {
  beforeEach(async () => {
    stand = await startAwsStandIn({ service: 'sts', region: REGION });
    waits = [];
  });
  afterEach(() => stand.close());

  it('assumes the role with its external id, session name and an hour, and reads only the credentials', async () => {
    // Prepare
    stand.answer({ status: 200, body: assumeRoleAnswer('2026-12-03T15:00:00Z') });
    const credentials = assumedRoleCredentials(dev, {
      sessionName: 'release-guard-promote',
      stsConfig: settings(),
    });

    // Act
    const got = await credentials();

    // Assess
    expect(got).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: 'token&more',
      expiration: new Date('2026-12-03T15:00:00Z'),
    });
    expect(stand.signatureOk).toEqual([true]);
    expect(Object.fromEntries(new URLSearchParams(stand.received[0]!.body))).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: dev.roleArn,
      ExternalId: dev.externalId,
      RoleSessionName: 'release-guard-promote',
      DurationSeconds: '3600',
    });
  });

  it('keeps the credentials (one call for callers at once) until 5 minutes before they expire', async () => {
    // Prepare
    let now = Date.parse('2026-12-03T14:00:00Z');
    stand.otherwise({ status: 200, body: assumeRoleAnswer('2026-12-03T15:00:00Z') });
    const credentials = assumedRoleCredentials(dev, {
      sessionName: 's',
      stsConfig: settings(),
      now: () => now,
    });

    // Act
    await Promise.all([credentials(), credentials()]);
    now += 54 * 60_000;
    await credentials();
    const before = stand.received.length;
    now += 2 * 60_000;
    await credentials();

    // Assess
    expect(before).toBe(1);
    expect(stand.received).toHaveLength(2);
  });

  it('keeps AccessDenied recognisable, not retried, naming the role, and asks again on the next call', async () => {
    // Prepare
    stand.answer({ status: 403, headers: { 'content-type': 'text/xml' }, body: STS_ACCESS_DENIED });
    stand.answer({ status: 200, body: assumeRoleAnswer('2026-12-03T15:00:00Z') });
    const credentials = assumedRoleCredentials(dev, { sessionName: 's', stsConfig: settings() });

    // Act
    const error = await credentials().catch((e: unknown) => e);
    const after = await credentials();

    // Assess
    expect(error).toMatchObject({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    expect((error as Error).message).toContain(`sts.AssumeRole of ${dev.roleArn}`);
    expect((error as Error).message).toContain('is not authorized to perform: sts:AssumeRole');
    expect(isTransientAwsError(error)).toBe(false);
    expect(after.accessKeyId).toBe('ASIAEXAMPLE');
    expect(stand.received).toHaveLength(2);
  });

  it('retries STS throttling (query protocol error)', async () => {
    // Prepare
    const throttled = STS_ACCESS_DENIED.replace('AccessDenied', 'Throttling').replace(
      /<Message>.*<\/Message>/,
      '<Message>Rate exceeded</Message>',
    );
    stand.answer(
      { status: 400, body: throttled },
      { status: 200, body: assumeRoleAnswer('2026-12-03T15:00:00Z') },
    );

    // Act
    const got = await assumedRoleCredentials(dev, { sessionName: 's', stsConfig: settings() })();

    // Assess
    expect(got.accessKeyId).toBe('ASIAEXAMPLE');
    expect(stand.received).toHaveLength(2);
  });

  it.each([
    [
      'no Credentials',
      '<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>',
      'without AssumeRoleResult/Credentials',
    ],
    [
      'no session token',
      assumeRoleAnswer('2026-12-03T15:00:00Z').replace(/<SessionToken>.*<\/SessionToken>/, ''),
      'without Credentials/SessionToken',
    ],
    ['a bad expiry', assumeRoleAnswer('soon'), 'Credentials/Expiration that is not a time'],
    [
      'two secrets',
      assumeRoleAnswer('2026-12-03T15:00:00Z', `${SECRET}</SecretAccessKey><SecretAccessKey>b`),
      'without Credentials/SecretAccessKey',
    ],
    ['not XML', '{"Credentials":{}}', 'without AssumeRoleResult/Credentials'],
  ])('fails closed on an answer with %s, and never shows a secret', async (_, body, message) => {
    // Prepare
    stand.otherwise({ status: 200, body });

    // Act
    const error = await assumedRoleCredentials(dev, { sessionName: 's', stsConfig: settings() })().catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toMatchObject({ name: 'MalformedAwsResponseError' });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain(SECRET);
    expect(stand.received).toHaveLength(1);
  });
});

describe('endpointOf', () => {
  it('is the Region’s endpoint, the China partition’s, or the SDK’s environment override', () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWS_ENDPOINT_URL;
      delete process.env.AWS_ENDPOINT_URL_SSM;
      expect(endpointOf('sts', 'eu-west-1')).toBe('https://sts.eu-west-1.amazonaws.com');
      expect(endpointOf('ssm', 'cn-north-1')).toBe('https://ssm.cn-north-1.amazonaws.com.cn');
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:5000';
      expect(endpointOf('ssm', 'eu-west-1')).toBe('http://127.0.0.1:5000');
      process.env.AWS_ENDPOINT_URL_SSM = 'http://127.0.0.1:5001';
      expect(endpointOf('ssm', 'eu-west-1')).toBe('http://127.0.0.1:5001');
      expect(endpointOf('ssm', 'eu-west-1', 'http://configured')).toBe('http://configured');
    } finally {
      process.env = saved;
    }
  });
});
