import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';

import { clientSettings } from './client-settings';
import { NodeSha256 } from './sha256';

/**
 * One AWS API call, signed with SigV4, for the few operations the guard makes without the SDK's client of that
 * service (lib/aws/sts-assume-role.ts, lib/aws/ssm.ts): a whole client brings every error class and schema of its
 * service, +12 to +16 KiB zipped for one call. What the SDK's clients give every other call is kept: the guard's
 * timeouts (client-settings.ts), 3 attempts with backoff for throttling, 5xx and lost connections (standard retry
 * mode), and AWS's error code as the error's `name` with `$fault` / `$metadata` / `$retryable` as the SDK sets them
 * (lib/errors.ts reads them), so `AccessDenied` is still an `AccessDenied`. Nothing here logs, and no request or
 * response body is ever put in an error: they hold credentials and secret values.
 */
export type SignedCallSettings = {
  region?: string;
  /** Instead of the service's regional endpoint (tests: moto, a stand-in). AWS_ENDPOINT_URL[_<SERVICE>] as the SDK. */
  endpoint?: string;
  /** Default: the SDK's chain, which the Lambda bundles replace by the environment's (lib/aws/lambda-credentials.ts). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  /** A handler (tests, the bench), or the NodeHttpHandler options clientSettings() gives every SDK client. */
  requestHandler?:
    RequestHandler | { connectionTimeout?: number; requestTimeout?: number; throwOnRequestTimeout?: boolean };
  /** Tests only: the backoff's wait and its jitter. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** What sends the signed request: a NodeHttpHandler, or an in-memory one (tests, the bench). */
export type RequestHandler = {
  handle(request: HttpRequest): Promise<{
    response: { statusCode: number; headers: Record<string, string | undefined>; body?: unknown };
  }>;
};

export type HttpAnswer = { status: number; headers: Record<string, string | undefined>; body: string };

/** AWS answered with an error: its code is the name (AccessDenied, ParameterNotFound, ThrottlingException, ...). */
export class AwsCallError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string; attempts: number };
  readonly $retryable?: { throttling: boolean };
  constructor(
    code: string,
    message: string,
    details: { status: number; requestId?: string; attempts: number; retryable?: { throttling: boolean } },
  ) {
    super(message);
    this.name = code;
    this.$fault = details.status >= 500 ? 'server' : 'client';
    this.$metadata = {
      httpStatusCode: details.status,
      attempts: details.attempts,
      ...(details.requestId ? { requestId: details.requestId } : {}),
    };
    if (details.retryable) this.$retryable = details.retryable;
  }
}

/** A 2xx answer the guard cannot read: not taken as anything (fail closed), and not retried (the SDK does not). */
export class MalformedAwsResponseError extends Error {
  override name = 'MalformedAwsResponseError';
}

/** The error codes the SDK's standard retry strategy treats as throttling (@smithy/service-error-classification). */
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/** The SDK's backoff: full jitter on 100 ms × 2^attempt (throttling 500 ms), at most 20 s. */
function backoffMs(retry: number, throttled: boolean, random: () => number): number {
  return Math.floor(Math.min(20_000, random() * 2 ** retry * (throttled ? 500 : 100)));
}

/** A protocol's reading of an error answer: its code and message (without the body's other content). */
export type ErrorReader = (answer: HttpAnswer) => { code: string; message: string };

export type SignedCaller = (request: {
  headers: Record<string, string>;
  body: string;
  /** Default POST. */
  method?: string;
  /** Appended to the endpoint's path, already URI-encoded (restJson1's labels); default the endpoint's own. */
  path?: string;
  query?: Record<string, string>;
}) => Promise<HttpAnswer>;

/**
 * A caller of `service` (its signing name and endpoint prefix: `sts`, `ssm`, `scheduler`) that sends a request
 * (POST `/` unless told otherwise), signed, and returns a 2xx answer; any other answer becomes an AwsCallError
 * (after the retries), read by `readError`. A retry sends the same request (and so the same idempotency token).
 */
export function signedCaller(
  service: string,
  settings: SignedCallSettings,
  readError: ErrorReader,
): SignedCaller {
  const defaults = clientSettings();
  const handler: RequestHandler =
    settings.requestHandler && 'handle' in settings.requestHandler
      ? settings.requestHandler
      : new NodeHttpHandler(settings.requestHandler ?? defaults.requestHandler);
  const maxAttempts = settings.maxAttempts ?? defaults.maxAttempts;
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = settings.random ?? Math.random;
  let signer: { region: string; url: URL; sign: SignatureV4 } | undefined;

  const signerOf = () => {
    if (signer) return signer;
    const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`${service}: no region (set AWS_REGION)`);
    const url = new URL(endpointOf(service, region, settings.endpoint));
    const credentials = settings.credentials ?? defaultProvider();
    signer = { region, url, sign: new SignatureV4({ service, region, credentials, sha256: NodeSha256 }) };
    return signer;
  };

  return async (request) => {
    const { url, sign } = signerOf();
    for (let attempt = 1; ; attempt++) {
      let answer: HttpAnswer;
      try {
        const signed = await sign.sign({
          method: request.method ?? 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port === '' ? {} : { port: Number(url.port) }),
          path: request.path === undefined ? url.pathname : url.pathname.replace(/\/$/, '') + request.path,
          query: { ...request.query },
          headers: { host: url.host, ...request.headers },
          body: request.body,
        } as HttpRequest);
        const { response } = await handler.handle(signed);
        answer = {
          status: response.statusCode,
          headers: lowerCased(response.headers),
          body: await bodyText(response.body),
        };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const transient =
          error instanceof Error &&
          (TRANSIENT_CODES.has(error.name) || (typeof code === 'string' && NETWORK_CODES.has(code)));
        if (!transient || attempt >= maxAttempts) throw error;
        await sleep(backoffMs(attempt, false, random));
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const { code, message } = readError(answer);
      const throttled = THROTTLING.has(code) || answer.status === 429;
      const retryable = throttled || TRANSIENT_CODES.has(code) || TRANSIENT_STATUS.has(answer.status);
      if (!retryable || attempt >= maxAttempts) {
        throw new AwsCallError(code, message, {
          status: answer.status,
          attempts: attempt,
          ...(answer.headers['x-amzn-requestid'] ? { requestId: answer.headers['x-amzn-requestid'] } : {}),
          ...(retryable ? { retryable: { throttling: throttled } } : {}),
        });
      }
      await sleep(backoffMs(attempt, throttled, random));
    }
  };
}

/** As the SDK resolves it: the configured endpoint, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or the Region's. */
export function endpointOf(service: string, region: string, configured?: string): string {
  const fromEnv = process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ?? process.env.AWS_ENDPOINT_URL;
  const endpoint = configured ?? fromEnv;
  if (endpoint) return endpoint;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${suffix}`;
}

function lowerCased(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * awsJson1_1 (SSM, ...): `X-Amz-Target: <targetPrefix>.<operation>`, the input as JSON; the answer's JSON, or a
 * MalformedAwsResponseError when it is not an object.
 */
export function awsJson11(service: string, targetPrefix: string, settings: SignedCallSettings) {
  const call = signedCaller(service, settings, readJsonError);
  return async (operation: string, input: object): Promise<Record<string, unknown>> => {
    const answer = await call({
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${targetPrefix}.${operation}`,
      },
      body: JSON.stringify(input),
    });
    return jsonObjectOf(service, operation, answer);
  };
}

/** `x-amzn-errortype` or the body's `__type` / `code`, without its namespace (`com.amazonaws.ssm#`) or URI suffix. */
export const readJsonError: ErrorReader = (answer) => {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // a proxy's HTML page, an empty body: the status alone speaks
  }
  const raw = answer.headers['x-amzn-errortype'] ?? body.__type ?? body.code ?? body.Code;
  const code = typeof raw === 'string' && raw !== '' ? sanitizeCode(raw) : `Http${answer.status}`;
  const message = body.message ?? body.Message;
  return { code, message: typeof message === 'string' ? message : `HTTP ${answer.status}` };
};

function sanitizeCode(raw: string): string {
  const noUri = raw.split(':')[0] ?? raw;
  return noUri.slice(noUri.lastIndexOf('#') + 1);
}

export type RestJsonRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The request URI with `{Label}`s, e.g. `/schedules/{Name}`. */
  path: string;
  /** The labels' values, each URI-encoded into the path (the SDK's extendedEncodeURIComponent). */
  labels?: Record<string, string>;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | undefined>;
  /** The JSON body (members not bound to the URI, a header or the query); none when undefined. */
  body?: object;
};

/**
 * restJson1 (EventBridge Scheduler, ...): the operation's method and URI, the labels URI-encoded, the input's other
 * members in the query or as a JSON body; the answer's JSON (an empty body is `{}`), or a MalformedAwsResponseError
 * when it is not an object. Errors: `x-amzn-errortype` (without its `:` suffix) or the body's `__type` / `code`,
 * the message from `message` / `Message` (readJsonError).
 */
export function restJson1(service: string, settings: SignedCallSettings) {
  const call = signedCaller(service, settings, readJsonError);
  return async (operation: string, request: RestJsonRequest): Promise<Record<string, unknown>> => {
    const path = request.path.replace(/\{(\w+)\}/g, (_, label: string) => {
      const value = request.labels?.[label];
      if (value === undefined || value === '')
        throw new Error(`${service}.${operation}: no value for {${label}}`);
      return uriEncode(value);
    });
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) query[key] = String(value);
    const answer = await call({
      method: request.method,
      path,
      query,
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body === undefined ? '' : JSON.stringify(request.body),
    });
    return jsonObjectOf(service, operation, answer);
  };
}

/** encodeURIComponent, and also `!'()*` (the SDK's extendedEncodeURIComponent for URI labels). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function jsonObjectOf(service: string, operation: string, answer: HttpAnswer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body === '' ? '{}' : answer.body);
  } catch {
    throw new MalformedAwsResponseError(
      `${service}.${operation} answered ${answer.status} with no JSON body`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedAwsResponseError(
      `${service}.${operation} answered ${answer.status} with no JSON object`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** awsQuery (STS, ...): `Action=<action>&Version=<version>&…`, form-encoded; the answer's XML as text. */
export function awsQuery(service: string, version: string, settings: SignedCallSettings) {
  const call = signedCaller(service, settings, readXmlError);
  return async (action: string, params: Record<string, string | number | undefined>): Promise<string> => {
    const form = new URLSearchParams({ Action: action, Version: version });
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) form.append(key, String(value));
    const answer = await call({
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form.toString(),
    });
    return answer.body;
  };
}

/** `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error>…` as the query protocol answers a refusal. */
export const readXmlError: ErrorReader = (answer) => {
  const code = xmlText(answer.body, 'Code');
  const message = xmlText(answer.body, 'Message');
  return {
    code: code ? sanitizeCode(code) : `Http${answer.status}`,
    message: message ?? `HTTP ${answer.status}`,
  };
};

/**
 * The text of the one `<tag>` element in `xml` (entities decoded), or undefined when there is none or more than
 * one: the guard reads only flat, documented fields, and an ambiguous answer is not guessed at.
 */
export function xmlText(xml: string, tag: string): string | undefined {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g');
  const found = [...xml.matchAll(pattern)];
  if (found.length !== 1) return undefined;
  return decodeXml(found[0]![1]!);
}

/** The one `<tag>…</tag>` element's inner XML, or undefined (none, or more than one). */
export function xmlElement(xml: string, tag: string): string | undefined {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  const found = [...xml.matchAll(pattern)];
  return found.length === 1 ? found[0]![1] : undefined;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') {
      return String.fromCodePoint(
        entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
      );
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity]!;
  });
}
