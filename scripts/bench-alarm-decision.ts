/**
 * Alarm decision latency, in-process: `npx tsx scripts/bench-alarm-decision.ts`. Output recorded in
 * docs/alarm-gate.md. Measures (1) the pure decision, asked step by step as the handler asks it (tags → Prod view →
 * restore record of the waiting approval → block; and the recovery with every selected alarm re-read), and (2) the whole alarm-gate handler (middy, event
 * contract, decision, act, announce) over in-memory gateways, i.e. everything but the network.
 */
import { parseGuardConfig } from '../config/schema';
import { decideAlarmGate, type AlarmGateInput } from '../handlers/alarm-gate/decide-alarm-gate';
import { makeHandler } from '../handlers/alarm-gate/make-handler';
import type { AlarmNow } from '../lib/aws/cloudwatch';
import type { ProdView } from '../lib/aws/prod-transition';
import type { GuardLogger } from '../lib/reaction';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100_000);
const WARMUP = 2_000;
const AT = new Date('2026-11-27T14:05:42.000Z');
const REASON = 'release-guard (dev alarm leadout-dev-api-5xx in ALARM since 2026-11-27 14.05 UTC)';

const open: ProdView = {
  transition: { enabled: true },
  waiting: { executionId: 'e1', token: 't1' },
  prodInbound: [],
};
const held: ProdView = { transition: { enabled: false, reason: REASON }, prodInbound: [] };
const alarms: AlarmNow[] = Array.from({ length: 50 }, (_, i) => ({
  name: `leadout-dev-alarm-${i}`,
  state: 'OK',
  since: AT,
}));

function blockPath(): string {
  const input: AlarmGateInput = {
    signal: { alarmName: 'leadout-dev-api-5xx', state: 'ALARM', previous: 'OK', at: AT },
    selector: { namePrefix: 'leadout-dev-', tags: { team: 'maps' } },
    prodStage: 'Prod',
    insufficientData: 'ignore',
    mode: 'enforce',
  };
  let d = decideAlarmGate(input);
  input.tags = { team: 'maps' };
  d = decideAlarmGate(input);
  input.view = open;
  d = decideAlarmGate(input);
  input.waitingRestore = 'none';
  d = decideAlarmGate(input);
  return d.kind;
}

function recoveryPath(): string {
  const input: AlarmGateInput = {
    signal: { alarmName: 'leadout-dev-api-5xx', state: 'OK', previous: 'ALARM', at: AT },
    selector: { namePrefix: 'leadout-dev-' },
    prodStage: 'Prod',
    insufficientData: 'block',
    mode: 'enforce',
    view: held,
  };
  let d = decideAlarmGate(input);
  input.alarms = alarms;
  d = decideAlarmGate(input);
  return d.kind;
}

const quiet: GuardLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setCorrelationId: () => undefined,
};

/** Counts the blocks the handler carried out, so the run shows it really decided each time. */
let blocks = 0;

const handler = makeHandler({
  config: parseGuardConfig({
    mode: 'enforce',
    slackWebhookParameter: '/x',
    pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
  }),
  transitions: {
    getProdView: async () => open,
    disableProdInbound: async () => {
      blocks++;
    },
    enableProdInbound: async () => undefined,
  },
  alarms: { selectedAlarms: async () => alarms, tagsOf: async () => ({}) },
  actor: {
    // The actor carries out the intent's effects; here it only counts the blocks the decision asked for.
    act: async (_key: unknown, intent: { effects: { kind: string }[] }) => {
      if (intent.effects.some((e) => e.kind === 'disable-transition')) blocks++;
      return 'announced';
    },
    withdraw: async () => undefined,
    // The block is recorded alongside the Prod read (make-handler.ts blockAlongside), then carried or dropped.
    begin: async (_key: unknown, intent: { effects: { kind: string }[] }) =>
      ({ entry: { intent }, fresh: true }) as never,
    carry: async (begun: { entry: { intent: { effects: { kind: string }[] } } }) => {
      if (begun.entry.intent.effects.some((e) => e.kind === 'disable-transition')) blocks++;
      return 'announced';
    },
    drop: async () => undefined,
    failedAttempt: async () => false,
    resume: async () => 'none',
    failedToDecide: async () => 'announced',
    couldNotDecide: async () => 'announced',
  },
  restores: { getRestore: async () => undefined },
  logger: quiet,
  now: () => AT,
});

const alarmEvent = {
  version: '0',
  id: '7d2f0c1e-4b8a-4e19-9f3d-2a6c8e1b5d70',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '111122223333',
  time: '2026-11-27T14:05:42Z',
  region: 'us-east-1',
  resources: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:leadout-dev-api-5xx'],
  detail: {
    alarmName: 'leadout-dev-api-5xx',
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-11-27T14:05:42.318+0000' },
    previousState: { value: 'OK', reason: 'Threshold Crossed', timestamp: '2026-11-27T13:02:51.067+0000' },
    configuration: { metrics: [] },
  },
};

async function measure(name: string, run: () => unknown): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples = new Float64Array(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await run();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  const q = (p: number) => samples[Math.min(ITERATIONS - 1, Math.floor(p * ITERATIONS))]!.toFixed(4);
  console.log(`${name.padEnd(44)} p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  p99.9 ${q(0.999)} ms  max ${q(1)} ms`);
}

console.log(`node ${process.version}, ${ITERATIONS} iterations each`);
await measure('decision: ALARM → block (tags, view)', blockPath);
await measure('decision: OK → unblock (50 alarms re-read)', recoveryPath);
await measure('handler: alarm event → block, no network', () =>
  handler(structuredClone(alarmEvent), {} as never),
);
console.log(`handler blocks carried out: ${blocks} of ${ITERATIONS + WARMUP} invocations`);
