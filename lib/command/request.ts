import * as z from '../zod';

/**
 * A person's command as it reaches the guard: a Lambda function URL event (payload format 2.0) of a URL with
 * `AuthType: AWS_IAM`. Lambda has checked the SigV4 signature before the function runs and writes who signed into
 * `requestContext.authorizer.iam`; that is the only place the caller is read from. Headers and body are the
 * caller's to fill in, so nothing in them can name a person.
 */

export const MAX_BODY_BYTES = 8 * 1024;

export type CommandCaller = { arn: string; accountId: string };
export type CommandRequest = { caller: CommandCaller; body: unknown };
export type CommandRequestStatus = 400 | 403;

export class CommandRequestError extends Error {
  override name = 'CommandRequestError';
  constructor(
    readonly status: CommandRequestStatus,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ParsedCommandRequest =
  { ok: true; request: CommandRequest } | { ok: false; error: CommandRequestError };

/** The IAM principal ARNs Lambda writes there: `arn:<partition>:iam|sts::<account>:<resource>`. */
const CALLER_ARN = /^arn:aws(-[a-z]+)*:(iam|sts)::(\d{12}):[^\s]+$/;

const functionUrlEvent = /* @__PURE__ */ z.lazy(() =>
  z.object({
    requestContext: z.object({
      http: z.object({ method: z.string() }),
      authorizer: z.optional(
        z.object({
          iam: z.optional(z.object({ userArn: z.string(), accountId: z.string() })),
        }),
      ),
    }),
    body: z.optional(z.string()),
    isBase64Encoded: z.optional(z.boolean()),
  }),
);

export function parseCommandRequest(event: unknown): ParsedCommandRequest {
  const parsed = functionUrlEvent.safeParse(event);
  if (!parsed.success) {
    return refuse(400, 'not a Lambda function URL request', parsed.error);
  }
  const { requestContext, body, isBase64Encoded } = parsed.data;

  const iam = requestContext.authorizer?.iam;
  if (iam === undefined) {
    // A URL without AWS_IAM auth (a misconfiguration) has no verified caller: fail closed.
    return refuse(403, 'no IAM identity on the request: the function URL must use AuthType AWS_IAM');
  }
  const caller = verifiedCaller(iam);
  if (caller === undefined)
    return refuse(403, `caller ${iam.userArn} is not an IAM principal of account ${iam.accountId}`);
  if (requestContext.http.method !== 'POST') {
    return refuse(400, `method ${requestContext.http.method} not accepted: send a POST`);
  }
  if (body === undefined || body.length === 0) return refuse(400, 'empty body: send a JSON command');

  const bytes = isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) {
    return refuse(400, `body is ${bytes.byteLength} bytes; at most ${MAX_BODY_BYTES} are accepted`);
  }
  try {
    return { ok: true, request: { caller, body: JSON.parse(bytes.toString('utf8')) as unknown } };
  } catch (cause) {
    return refuse(400, 'body is not JSON', cause);
  }
}

/** The ARN's account must be the one Lambda reports: a mismatch is not a shape IAM produces, so it is refused. */
function verifiedCaller(iam: { userArn: string; accountId: string }): CommandCaller | undefined {
  const match = CALLER_ARN.exec(iam.userArn);
  if (match === null || match[3] !== iam.accountId) return undefined;
  return { arn: iam.userArn, accountId: iam.accountId };
}

function refuse(status: CommandRequestStatus, message: string, cause?: unknown): ParsedCommandRequest {
  return { ok: false, error: new CommandRequestError(status, message, { cause }) };
}
