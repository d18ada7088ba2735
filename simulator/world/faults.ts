import * as z from 'zod';

/**
 * What a fault does to one AWS call, as the guard's code sees it after the SDK's own attempts
 * (../shared/toolchain.md): an error answer, no answer, an answer lost after the write took effect, or the
 * Lambda dying just before it sends the call.
 */
export const FAULT_KINDS = [
  'ThrottlingException',
  'AccessDeniedException',
  'InternalFailure',
  'TimeoutError',
  'ECONNRESET',
  'hang',
  'applied-then-lost',
  'crash',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A scenario's `fault` step. */
export const faultSpecSchema = z
  .object({
    /** `service.Operation` as the timeline names calls (`eventbridge.` is accepted for `events.`), or `*`. */
    call: z.string().regex(/^(\*|[a-z]+\.[A-Z][A-Za-z]+)$/, 'service.Operation or *'),
    error: z.enum(FAULT_KINDS),
    times: z.union([z.number().int().positive(), z.literal('always')]).default(1),
    /** Only calls made by this function. */
    function: z.string().optional(),
    /** The nth matching call after the step applies is the first one hit. */
    nth: z.number().int().positive().default(1),
  })
  .strict();
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** A fault step that applied: it waits for its nth call, then hits `left` calls. */
export type ArmedFault = { spec: FaultSpec; skip: number; left: number };

export function armFault(spec: FaultSpec): ArmedFault {
  return { spec, skip: spec.nth - 1, left: spec.times === 'always' ? Infinity : spec.times };
}

const SERVICE_ALIASES: Record<string, string> = { eventbridge: 'events' };

function matches(spec: FaultSpec, service: string, operation: string, caller: string): boolean {
  if (spec.function !== undefined && spec.function !== caller) return false;
  if (spec.call === '*') return true;
  const [s = '', op] = spec.call.split('.');
  return (SERVICE_ALIASES[s] ?? s) === service && op === operation;
}

/**
 * The fault, if any, that hits this call. Every armed fault the call matches counts it; the first one whose
 * turn has come hits it.
 */
export function takeFault(
  armed: ArmedFault[],
  service: string,
  operation: string,
  caller: string,
): FaultKind | undefined {
  let hit: FaultKind | undefined;
  for (const fault of armed) {
    if (fault.left <= 0 || !matches(fault.spec, service, operation, caller)) continue;
    if (fault.skip > 0) {
      fault.skip--;
    } else if (!hit) {
      fault.left--;
      hit = fault.spec.error;
    }
  }
  return hit;
}

export type SdkError = Error & {
  $fault?: 'client' | 'server';
  $metadata: { httpStatusCode?: number; attempts: number; totalRetryDelay?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  code?: string;
};

function sdkError(name: string, message: string, fields: Omit<SdkError, 'name' | 'message'>): SdkError {
  return Object.assign(new Error(message), { name }, fields);
}

/**
 * The error the guard's code sees for an error fault, after the SDK's own attempts: a service answer
 * (ThrottlingException and InternalFailure retried 3 times, AccessDenied not), or no answer (`TimeoutError`,
 * with `code: ECONNRESET` for a reset connection).
 */
export function faultError(kind: FaultKind, service: string, operation: string, attempts: number): SdkError {
  const call = `${service}.${operation}`;
  switch (kind) {
    case 'ThrottlingException':
      // The Resource Groups Tagging API names its throttling error differently (its model's only one).
      return sdkError(service === 'tagging' ? 'ThrottledException' : kind, 'Rate exceeded', {
        $fault: 'client',
        $metadata: { httpStatusCode: 400, attempts, totalRetryDelay: 900, requestId: 'sim-fault' },
        $retryable: { throttling: true },
      });
    case 'AccessDeniedException':
      return sdkError(kind, `User is not authorized to perform: ${call}`, {
        $fault: 'client',
        $metadata: { httpStatusCode: 400, attempts: 1, requestId: 'sim-fault' },
      });
    case 'InternalFailure':
      return sdkError(kind, 'The request processing has failed because of an unknown error', {
        $fault: 'server',
        $metadata: { httpStatusCode: 500, attempts, totalRetryDelay: 900, requestId: 'sim-fault' },
      });
    case 'ECONNRESET':
      return sdkError('TimeoutError', 'socket hang up', {
        code: 'ECONNRESET',
        $metadata: { attempts, totalRetryDelay: 900 },
      });
    default:
      return sdkError('TimeoutError', `${call}: no response (${kind})`, { $metadata: { attempts } });
  }
}
