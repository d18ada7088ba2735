import { formatAt, VirtualClock } from './clock';
import { ACCOUNT, awsEvent, type AwsEvent } from './aws-event';
import type { AccountSpec } from './sts-world';
import { AlarmsModel } from './cloudwatch-world';
import { PipelineRollbacks } from './codepipeline-rollbacks';
import { PipelineModel, pipelineNotFound, type PipelineSpec } from './codepipeline-world';
import { TablesModel } from './dynamodb-world';
import { CodeDeployModel } from './codedeploy-world';
import { EcsModel } from './ecs-world';
import { ChangeCalendarWorld } from './change-calendar-world';
import { CLIENT_TIMEOUTS, SDK_MAX_ATTEMPTS } from '../../lib/aws/client-settings';
import type { ArmedFault } from './faults';
import { makeIds } from './ids';
import { SchedulesModel } from './scheduler-world';
import type { TimelineEntry } from './timeline';

export type Bus = 'default' | 'guard';
export type Delivery = { bus: Bus; event: AwsEvent };
/** An event a function failed on every attempt, in its on-failure destination. */
export type DeadLetter = { function: string; event: AwsEvent; attempts: number; error: string; atMs: number };

/** The in-memory AWS the guard runs against in the simulator: one account, one region, a virtual clock. */
export class World {
  readonly clock: VirtualClock;
  readonly ids = makeIds(7);
  readonly pipelines = new Map<string, PipelineModel>();
  readonly alarms = new AlarmsModel(this);
  readonly schedules = new SchedulesModel(this);
  readonly ecs = new EcsModel(this);
  readonly codedeploy = new CodeDeployModel(this);
  readonly rollbacks = new PipelineRollbacks(this);
  /** SSM Change Calendars (config freeze.changeCalendars), over virtual time. */
  readonly calendars = new ChangeCalendarWorld({ nowMs: () => this.clock.nowMs() });
  readonly tables: TablesModel;
  readonly inbox: Delivery[] = [];
  readonly timeline: TimelineEntry[] = [];
  /** Patterns of events the world emits but EventBridge loses (best-effort delivery). */
  readonly lose: ((e: AwsEvent) => boolean)[] = [];
  /** SSM Parameter Store: name → value (the notifier's webhook URL). */
  readonly parameters = new Map<string, string>();
  /** What the metrics function published (embedded metric format records, as values). */
  readonly metrics: unknown[] = [];
  /** How Slack's webhook answers (a scenario's `slack` step changes it). */
  slackAnswer: { status: number; retryAfter?: number } = { status: 200 };
  /** Patterns of events EventBridge delivers late (out of order), and by how many milliseconds. */
  readonly delays: { match: (e: AwsEvent) => boolean; ms: number }[] = [];
  /** One-shot: the next PutEvents entry a predicate matches is rejected (a scenario's `failPutEvents` step). */
  readonly failPutEvents: ((entry: { source: string; 'detail-type': string; detail: unknown }) => boolean)[] =
    [];
  /** Faults the scenario's `fault` steps armed (simulator/world/faults.ts). */
  readonly faults: ArmedFault[] = [];
  /** Events that reached a function's on-failure destination after its last attempt. */
  readonly deadLetters: DeadLetter[] = [];
  /** The guard's SDK clients: how long a call waits for an answer (none: until the Lambda times out). */
  clientTimeouts: { requestTimeoutMs: number | undefined; attempts: number } = {
    requestTimeoutMs: CLIENT_TIMEOUTS.requestTimeoutMs,
    attempts: SDK_MAX_ATTEMPTS,
  };
  caller = 'scenario';
  /** What the guard answered each person's command (`person` steps). */
  readonly answers: { at: string; command: string; by: string; status: number; message: string }[] = [];
  /** Accounts other than the guard's: their roles, and whether they forward their events to the guard's bus. */
  readonly accounts = new Map<string, AccountSpec>();

  constructor(
    readonly start: Date,
    readonly guardBus: { name: string; arn: string },
    tableKeys: Record<string, string[]>,
  ) {
    this.clock = new VirtualClock(start);
    this.tables = new TablesModel(tableKeys);
  }

  addPipeline(spec: PipelineSpec): PipelineModel {
    const model = new PipelineModel(spec, this);
    this.pipelines.set(spec.name, model);
    return model;
  }

  pipeline(name: string | undefined): PipelineModel {
    const p = name ? this.pipelines.get(name) : undefined;
    if (!p) throw pipelineNotFound(String(name));
    return p;
  }

  at(): string {
    return formatAt(this.start, this.clock.now());
  }

  record(entry: TimelineEntry): void {
    this.timeline.push(entry);
  }

  note(summary: string): void {
    this.record({ at: this.at(), kind: 'world', summary });
  }

  /** An AWS service event of the guard's own account, on its default bus. */
  awsEvent(source: string, detailType: string, resources: string[], detail: Record<string, unknown>): void {
    this.awsEventIn(ACCOUNT, source, detailType, resources, detail);
  }

  /**
   * An AWS service event of an account: on the guard's account's default bus, or, from another account, on the
   * guard's bus if that account runs the forwarder stack (it forwards its alarm, ECS and CodeDeploy events as they
   * are, `account` included); otherwise it never leaves that account.
   */
  awsEventIn(
    account: string | undefined,
    source: string,
    detailType: string,
    resources: string[],
    detail: Record<string, unknown>,
  ): void {
    const from = account ?? ACCOUNT;
    const event = awsEvent(this.ids(), this.clock.now(), source, detailType, detail, resources, from);
    let bus: Bus = 'default';
    if (from !== ACCOUNT) {
      if (!this.accounts.get(from)?.forwarder) {
        this.note(`stays in account ${from} (no forwarder there): ${detailType}`);
        return;
      }
      bus = 'guard';
    }
    if (this.lose.some((lost) => lost(event))) {
      this.note(`lost: ${detailType} ${JSON.stringify(detail).slice(0, 80)}`);
      return;
    }
    const delay = this.delays.find((d) => d.match(event));
    if (delay) {
      this.note(`delayed by ${delay.ms / 60_000} min: ${detailType} ${JSON.stringify(detail).slice(0, 80)}`);
      this.clock.schedule(this.clock.nowMs() + delay.ms, () => this.inbox.push({ bus, event }));
      return;
    }
    this.inbox.push({ bus, event });
  }

  /** PutEvents (from the guard, or a schedule's EventBridge target) onto a bus named by name or ARN. */
  putOnBus(
    busNameOrArn: string,
    entry: { Source?: string; DetailType?: string; Detail?: string; Resources?: string[] },
  ): AwsEvent {
    const bus: Bus | undefined =
      busNameOrArn === this.guardBus.name || busNameOrArn === this.guardBus.arn
        ? 'guard'
        : busNameOrArn === 'default' || busNameOrArn === ''
          ? 'default'
          : undefined;
    if (!bus) throw new Error(`simulator: no event bus ${busNameOrArn}`);
    const event = awsEvent(
      this.ids(),
      this.clock.now(),
      entry.Source ?? '',
      entry.DetailType ?? '',
      JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
      entry.Resources ?? [],
    );
    if (this.lose.some((lost) => lost(event))) {
      this.note(`lost: ${event['detail-type']} ${JSON.stringify(event.detail).slice(0, 80)}`);
      return event;
    }
    this.inbox.push({ bus, event });
    return event;
  }
}
