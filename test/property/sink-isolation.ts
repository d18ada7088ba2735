/**
 * What lets invariants 1–3 run without the announcement sinks (release-plans.ts `withoutSinks`), checked on every
 * run instead of assumed: in the ledger table, a sink touches only its own partitions and no other function touches
 * them — except the command function reading the decision history for `status` and `history`, which only answers a
 * person and never acts. A sink makes no AWS write outside the ledger (no PutEvents, no pipeline or ECS call). IAM
 * grants each sink's writes to its partitions alone (infra/<function>.yml); the deciders' reads it does not limit
 * by partition, so this oracle is what keeps a decider from coming to depend on a sink.
 */
import type { TimelineEntry } from '../../simulator/world/timeline';

/**
 * The functions that only take in the guard's decisions: a Slack message, metrics and a history line for each.
 */
export const ANNOUNCEMENT_SINKS: readonly string[] = ['notify', 'metrics', 'history'];

/** Each sink's ledger partitions, by the prefix of their partition key (lib/aws/partitions.ts). */
const SINK_PARTITIONS: Record<string, readonly string[]> = {
  notify: ['#notifications'],
  metrics: ['metric#'],
  history: ['history#', 'historykey#'],
};

/** Reads another function may make of a sink's partition: the command function's status and history answers. */
const READERS: Record<string, readonly string[]> = { 'history#': ['command'] };

type Call = Extract<TimelineEntry, { kind: 'aws-call' }>;

/** The partition key a DynamoDB call names: its Key or Item, or a Query's `pipeline = :v`. */
function partitionOf(call: Call): string | undefined {
  const p = call.params as {
    Key?: { pipeline?: { S?: string } };
    Item?: { pipeline?: { S?: string } };
    KeyConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, { S?: string }>;
  };
  const direct = p.Key?.pipeline?.S ?? p.Item?.pipeline?.S;
  if (direct !== undefined) return direct;
  const eq = /^\s*(#?\w+) = (:\w+)/.exec(p.KeyConditionExpression ?? '');
  if (!eq) return undefined;
  const attribute = eq[1]!.startsWith('#') ? p.ExpressionAttributeNames?.[eq[1]!] : eq[1];
  return attribute === 'pipeline' ? p.ExpressionAttributeValues?.[eq[2]!]?.S : undefined;
}

function ownerOf(partition: string): { sink: string; prefix: string } | undefined {
  for (const [sink, prefixes] of Object.entries(SINK_PARTITIONS)) {
    const prefix = prefixes.find((pre) => partition.startsWith(pre));
    if (prefix) return { sink, prefix };
  }
  return undefined;
}

/** Every call of a run that breaks the sinks' isolation, described. */
export function sinkIsolationViolations(timeline: readonly TimelineEntry[]): string[] {
  const sinks = new Set(ANNOUNCEMENT_SINKS);
  const violations: string[] = [];
  for (const t of timeline) {
    if (t.kind !== 'aws-call') continue;
    const what = `${t.at} ${t.caller} ${t.service}.${t.operation}`;
    if (t.service !== 'dynamodb') {
      if (sinks.has(t.caller) && t.write) violations.push(`${what}: a sink wrote outside the ledger`);
      continue;
    }
    const partition = partitionOf(t);
    if (partition === undefined) {
      // A call that names no partition (a Scan, a batch) may touch any of them.
      if (sinks.has(t.caller) || t.operation === 'Scan') violations.push(`${what}: names no partition`);
      continue;
    }
    const owner = ownerOf(partition);
    if (sinks.has(t.caller)) {
      if (owner?.sink !== t.caller)
        violations.push(`${what} on ${partition}: not ${t.caller}'s own partition`);
    } else if (owner) {
      const reader = !t.write && (READERS[owner.prefix] ?? []).includes(t.caller);
      if (!reader) violations.push(`${what} on ${partition}: ${owner.sink}'s partition`);
    }
  }
  return violations;
}
