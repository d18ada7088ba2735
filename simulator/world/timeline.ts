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
      error?: string;
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
      announced: number;
      error?: string;
    };
