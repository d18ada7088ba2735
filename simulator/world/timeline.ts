import type { FaultKind } from './faults';

/** What the simulator prints: one entry per event, decision, AWS call or guard event, at a virtual time. */
export type TimelineEntry =
  | {
      at: string;
      kind: 'event';
      bus: string;
      detailType: string;
      summary: string;
      delivered: string[];
      id: string;
      /** Set for an AWS event of another account (forwarded to the guard's bus). */
      fromAccount?: string;
    }
  | { at: string; kind: 'decision'; reaction: string; decision: Record<string, unknown> }
  | {
      at: string;
      kind: 'aws-call';
      caller: string;
      service: string;
      operation: string;
      write: boolean;
      params: Record<string, unknown>;
      /** Which of its invocation's round trips this call was in (calls whose times overlap share one). */
      roundTrip?: number;
      error?: string;
      /** The injected fault that hit this call (a scenario's `fault` step). */
      fault?: FaultKind;
      /**
       * Under `applied-then-lost`: AWS refused the call itself (this error), so nothing took effect — only the
       * answer, a refusal, was lost.
       */
      refusedAtAws?: string;
    }
  /** The Lambda died (a `crash` fault) just before sending this call: it never reached AWS. */
  | { at: string; kind: 'fault'; caller: string; service: string; operation: string; fault: FaultKind }
  /** An event whose every attempt failed, sent to the function's on-failure destination. */
  | {
      at: string;
      kind: 'dlq';
      function: string;
      eventId: string;
      detailType: string;
      attempts: number;
      error: string;
    }
  | { at: string; kind: 'emitted'; detailType: string; detail: Record<string, unknown> }
  | { at: string; kind: 'world'; summary: string }
  /** A message the notifier posted to (the world's fake) Slack. */
  | { at: string; kind: 'slack'; text: string; blocks: Record<string, unknown>[] }
  | {
      at: string;
      kind: 'invocation';
      function: string;
      trigger: string;
      /** AWS calls made to decide and act; announcing on the guard's own bus is counted apart. */
      calls: number;
      reads: number;
      writes: number;
      /** Sequential round trips of those calls: calls sent while another was in flight count once. */
      roundTrips: number;
      announced: number;
      /** 1 for the first delivery, then Lambda's retries. */
      attempt: number;
      error?: string;
      /** The Lambda died (a crash, its timeout): `error` says why. */
      died?: true;
    };
