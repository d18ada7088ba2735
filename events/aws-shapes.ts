import * as z from '../lib/zod';

/**
 * The shapes AWS gives the fields the guard reads (botocore's service models and the events AWS sends). A field
 * outside them fails the contract, so the event is dropped and counted instead of failing at AWS on every retry.
 */

/** CodePipeline's PipelineExecutionId (and ApprovalToken) pattern. */
export const PIPELINE_EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const pipelineExecutionId = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.regex(PIPELINE_EXECUTION_ID, 'a CodePipeline execution id (UUID)')),
);

/** Pipeline, stage and action names: 1–100 characters of `[A-Za-z0-9.@-_]`. */
export const codePipelineName = /* @__PURE__ */ z.lazy(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(100),
      z.regex(/^[A-Za-z0-9.@\-_]+$/, 'letters, digits and . @ - _ only (CodePipeline naming)'),
    ),
);

/** An ECS service deployment id as ECS Deployment State Change events carry it. */
export const ecsDeploymentId = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.regex(/^ecs-svc\/\d{1,40}$/, 'an ECS deployment id (ecs-svc/<digits>)')),
);

/** A CodeDeploy deployment id. */
export const codeDeployDeploymentId = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.regex(/^d-[A-Z0-9]{9}$/, 'a CodeDeploy deployment id (d-XXXXXXXXX)')),
);

/** A restart's deployment: ECS's or CodeDeploy's. */
export const tileDeploymentId = /* @__PURE__ */ z.lazy(() =>
  z.union([ecsDeploymentId, codeDeployDeploymentId]),
);

/** ECS cluster and service names (1–255 letters, digits, hyphens and underscores), or their ARNs. */
export const ecsName = /* @__PURE__ */ z.lazy(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(2048),
      z.regex(
        /^([A-Za-z0-9\-_]{1,255}|arn:[a-z-]+:ecs:[a-z0-9-]+:\d{12}:[a-z]+\/[A-Za-z0-9\-_/]+)$/,
        'an ECS cluster or service name',
      ),
    ),
);

/** CodeDeploy application and deployment group names. */
export const codeDeployName = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.minLength(1), z.maxLength(100), z.refine(isWellFormed, 'well-formed text')),
);

export const alarmName = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.minLength(1), z.maxLength(255), z.refine(isWellFormed, 'well-formed text')),
);

/** The years a time AWS sends can have: anything else is garbage (a Date far outside breaks every format). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2200;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses the ISO forms AWS uses (`…Z`, `…+00:00`, CloudWatch's `…+0000`); undefined outside MIN_YEAR–MAX_YEAR. */
export function parseAwsTime(text: string): Date | undefined {
  if (!ISO_TIME.test(text)) return undefined;
  const at = new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  const year = at.getUTCFullYear();
  return Number.isNaN(at.getTime()) || year < MIN_YEAR || year > MAX_YEAR ? undefined : at;
}

/** An ISO time within AWS's range, kept as the text AWS sent. */
export const awsTime = /* @__PURE__ */ z.lazy(() =>
  z.string().check(
    z.maxLength(40),
    z.refine((t) => parseAwsTime(t) !== undefined, `an ISO time between ${MIN_YEAR} and ${MAX_YEAR}`),
  ),
);

/** A time the guard itself wrote (`toISOString()`), within the same range. */
export const guardTime = /* @__PURE__ */ z.lazy(() =>
  z.iso.datetime().check(z.refine((t) => parseAwsTime(t) !== undefined, 'a time in range')),
);

/**
 * Free text (reasons, summaries, commit messages): bounded, and made well-formed, since a lone surrogate breaks
 * `encodeURIComponent` and JSON consumers downstream. Lenient by design: odd text is repaired, not rejected.
 */
export function freeText(max: number) {
  return z.pipe(z.string().check(z.maxLength(max)), z.transform(wellFormed));
}

/** ARNs and other opaque AWS identifiers the guard only compares or shows. */
export const arnText = /* @__PURE__ */ z.lazy(() => z.string().check(z.maxLength(2048)));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `String.prototype.toWellFormed` (ES2024, not in this project's lib): each lone surrogate becomes U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

export function isWellFormed(s: string): boolean {
  return wellFormed(s) === s;
}
