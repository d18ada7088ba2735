import {
  ApprovalAlreadyCompletedException,
  InvalidApprovalTokenException,
  NotLatestPipelineExecutionException,
  PipelineExecutionNotFoundException,
  PipelineNotFoundException,
  StageNotFoundException,
  StageNotRetryableException,
  type ActionState,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import { ACCOUNT, REGION } from './aws-event';
import { recordAction, type ActionRecord } from './codepipeline-actions';
import type { World } from './world';

export type StageSpec = { name: string; minutes: number; gate?: string };
export type PipelineSpec = {
  name: string;
  stages: StageSpec[];
  tokenLagSeconds: number;
  version: number;
  /** Restores (RollbackStage, or a start with source revisions) fail in this stage: codepipeline-rollbacks.ts. */
  failRestoresIn?: string;
  /** What RollbackStage throws for a stage that is running (AWS documents the first; it may send the second). */
  rollbackStageBusyError?: 'UnableToRollbackStageException' | 'ConflictException';
};

type Status = 'InProgress' | 'Succeeded' | 'Failed' | 'Superseded' | 'Stopped';
type ActionRun = {
  executionId: string;
  status: Status;
  token?: string;
  summary?: string;
  /** Who answered an approval (GetPipelineState's `lastUpdatedBy`). */
  updatedBy?: string;
  lastStatusChange: Date;
  actionExecutionId: string;
};
type StageRuntime = {
  spec: StageSpec;
  current?: string;
  latest?: { executionId: string; status: Status };
  inbound?: string;
  transition: { enabled: boolean; reason?: string; changedBy?: string; changedAt?: Date };
  actions: Map<string, ActionRun>;
};
export type Execution = {
  id: string;
  commitId: string;
  message: string;
  status: Status;
  triggerType: string;
  type: 'STANDARD' | 'ROLLBACK';
  startedAt: Date;
  updatedAt: Date;
  failIn?: string;
  /** The pipeline structure version the execution started in. */
  pipelineVersion: number;
  /** A stage rollback runs this one stage only, to the execution it rolls back to. */
  rollbackOf?: { stage: string; targetId: string };
  /** Started with explicit source revisions (StartPipelineExecution `sourceRevisions`). */
  sourceOverride?: boolean;
  /** Every action run of the execution, oldest first (ListActionExecutions). */
  actions: ActionRecord[];
};

const CATEGORY: Record<string, string> = { Source: 'Source', Build: 'Build' };
const meta = { $metadata: {} };

/** One pipeline in SUPERSEDED mode: one execution per stage, a newer execution replaces one waiting to enter. */
export class PipelineModel {
  readonly stages: StageRuntime[];
  readonly executions = new Map<string, Execution>();
  readonly order: string[] = [];

  constructor(
    readonly spec: PipelineSpec,
    private readonly world: World,
  ) {
    this.stages = spec.stages.map((s) => ({ spec: s, transition: { enabled: true }, actions: new Map() }));
  }

  get arn(): string {
    return `arn:aws:codepipeline:${REGION}:${ACCOUNT}:${this.spec.name}`;
  }

  /** The name of the first stage's (the source stage's) action, which sourceRevisions refer to. */
  get sourceActionName(): string {
    return actionNameOf(this.stages[0]?.spec.name ?? 'Source');
  }

  start(
    commitId: string,
    message: string,
    options: Partial<
      Pick<Execution, 'failIn' | 'triggerType' | 'type' | 'rollbackOf' | 'sourceOverride'>
    > = {},
  ): Execution {
    const now = this.world.clock.now();
    const e: Execution = {
      id: this.world.ids(),
      commitId,
      message,
      status: 'InProgress',
      startedAt: now,
      updatedAt: now,
      pipelineVersion: this.spec.version,
      actions: [],
      ...options,
      triggerType: options.triggerType ?? 'WebhookV2',
      type: options.type ?? 'STANDARD',
    };
    this.executions.set(e.id, e);
    this.order.unshift(e.id);
    this.pipelineEvent(e, 'STARTED');
    const only = this.stages.findIndex((s) => s.spec.name === e.rollbackOf?.stage);
    if (only >= 0) this.enter(e, only);
    else this.arrive(e, 0);
    return e;
  }

  // --- the flow -------------------------------------------------------------------------------------

  private arrive(e: Execution, index: number): void {
    const stage = this.stages[index];
    if (!stage) return this.finish(e, 'Succeeded');
    if (stage.current || !stage.transition.enabled) {
      const waiting = stage.inbound ? this.executions.get(stage.inbound) : undefined;
      if (waiting) this.finish(waiting, 'Superseded');
      stage.inbound = e.id;
      this.world.note(`${this.label(e)} waits to enter ${stage.spec.name}`);
      return;
    }
    this.enter(e, index);
  }

  private enter(e: Execution, index: number): void {
    const stage = this.stages[index]!;
    stage.current = e.id;
    stage.latest = { executionId: e.id, status: 'InProgress' };
    this.stageEvent(e, stage, 'STARTED');
    if (stage.spec.gate) this.startApproval(e, index);
    else this.startWork(e, index);
  }

  private startApproval(e: Execution, index: number): void {
    const stage = this.stages[index]!;
    const gate = stage.spec.gate!;
    const run: ActionRun = {
      executionId: e.id,
      status: 'InProgress',
      lastStatusChange: this.world.clock.now(),
      actionExecutionId: this.world.ids(),
    };
    stage.actions.set(gate, run);
    if (this.spec.tokenLagSeconds === 0) run.token = this.world.ids();
    else {
      this.world.clock.schedule(this.world.clock.nowMs() + this.spec.tokenLagSeconds * 1000, () => {
        if (run.status === 'InProgress') run.token = this.world.ids();
      });
    }
    this.actionEvent(e, stage, gate, 'Approval', 'STARTED');
  }

  private startWork(e: Execution, index: number): void {
    const stage = this.stages[index]!;
    const action = actionNameOf(stage.spec.name);
    const category = CATEGORY[stage.spec.name] ?? 'Deploy';
    const run: ActionRun = {
      executionId: e.id,
      status: 'InProgress',
      lastStatusChange: this.world.clock.now(),
      actionExecutionId: this.world.ids(),
    };
    stage.actions.set(action, run);
    this.actionEvent(e, stage, action, category, 'STARTED');
    this.world.clock.schedule(this.world.clock.nowMs() + stage.spec.minutes * 60_000, () => {
      if (e.status !== 'InProgress') return;
      const failed = e.failIn === stage.spec.name;
      run.status = failed ? 'Failed' : 'Succeeded';
      if (failed) run.summary = `${action} failed: deployment health check did not pass`;
      run.lastStatusChange = this.world.clock.now();
      this.actionEvent(e, stage, action, category, failed ? 'FAILED' : 'SUCCEEDED');
      this.leave(e, index, failed ? 'Failed' : 'Succeeded');
    });
  }

  /** The execution leaves stage `index`; whoever waited to enter it goes in. */
  private leave(e: Execution, index: number, outcome: 'Succeeded' | 'Failed'): void {
    const stage = this.stages[index]!;
    stage.current = undefined;
    stage.latest = { executionId: e.id, status: outcome };
    this.stageEvent(e, stage, outcome === 'Succeeded' ? 'SUCCEEDED' : 'FAILED');
    if (outcome === 'Failed') this.finish(e, 'Failed');
    else if (e.rollbackOf) this.finish(e, 'Succeeded');
    else this.arrive(e, index + 1);
    this.admitInbound(index);
  }

  private admitInbound(index: number): void {
    const stage = this.stages[index]!;
    if (!stage.inbound || stage.current || !stage.transition.enabled) return;
    const next = this.executions.get(stage.inbound)!;
    stage.inbound = undefined;
    this.enter(next, index);
  }

  private finish(e: Execution, status: Status): void {
    e.status = status;
    e.updatedAt = this.world.clock.now();
    if (status !== 'InProgress') this.pipelineEvent(e, status.toUpperCase());
  }

  // --- the API --------------------------------------------------------------------------------------

  state(): { pipelineName: string; pipelineVersion: number; stageStates: StageState[] } {
    return {
      pipelineName: this.spec.name,
      pipelineVersion: this.spec.version,
      stageStates: this.stages.map((s) => ({
        stageName: s.spec.name,
        inboundExecution: s.inbound ? { pipelineExecutionId: s.inbound, status: 'InProgress' } : undefined,
        inboundExecutions: s.inbound ? [{ pipelineExecutionId: s.inbound, status: 'InProgress' }] : undefined,
        inboundTransitionState: {
          enabled: s.transition.enabled,
          disabledReason: s.transition.reason,
          lastChangedBy: s.transition.changedBy,
          lastChangedAt: s.transition.changedAt,
        },
        latestExecution: s.latest
          ? { pipelineExecutionId: s.latest.executionId, status: s.latest.status as 'InProgress' }
          : undefined,
        actionStates: [...s.actions].map(([actionName, run]): ActionState => ({
          actionName,
          latestExecution: {
            actionExecutionId: run.actionExecutionId,
            status: run.status as 'InProgress',
            lastStatusChange: run.lastStatusChange,
            token: run.status === 'InProgress' ? run.token : undefined,
            summary: run.summary,
            lastUpdatedBy: run.updatedBy,
          },
        })),
      })),
    };
  }

  execution(id: string): Execution {
    const e = this.executions.get(id);
    if (!e) throw new PipelineExecutionNotFoundException({ message: `No execution ${id}`, ...meta });
    return e;
  }

  answerApproval(
    stageName: string,
    actionName: string,
    token: string,
    status: 'Approved' | 'Rejected',
    summary?: string,
  ): void {
    const index = this.stages.findIndex((s) => s.spec.name === stageName);
    const stage = this.stages[index];
    const run = stage?.actions.get(actionName);
    if (!stage || !run)
      throw new StageNotFoundException({ message: `No action ${stageName}/${actionName}`, ...meta });
    if (run.status !== 'InProgress') {
      throw new ApprovalAlreadyCompletedException({ message: 'Approval already completed', ...meta });
    }
    if (run.token !== token) throw new InvalidApprovalTokenException({ message: 'Invalid token', ...meta });
    const e = this.executions.get(run.executionId)!;
    run.status = status === 'Approved' ? 'Succeeded' : 'Failed';
    run.summary = summary;
    run.updatedBy = callerIdentity(this.world.caller);
    run.lastStatusChange = this.world.clock.now();
    this.actionEvent(e, stage, actionName, 'Approval', status === 'Approved' ? 'SUCCEEDED' : 'FAILED');
    if (status === 'Approved') this.startWork(e, index);
    else this.leave(e, index, 'Failed');
  }

  /**
   * RetryStageExecution with FAILED_ACTIONS: only the stage's latest execution, only once it failed there; its failed
   * action runs again (an approval with a new token), and the execution is in progress again.
   */
  retryStage(stageName: string, executionId: string): { pipelineExecutionId: string } {
    const index = this.stages.findIndex((s) => s.spec.name === stageName);
    const stage = this.stages[index];
    if (!stage) throw new StageNotFoundException({ message: `No stage ${stageName}`, ...meta });
    const e = this.execution(executionId);
    if (stage.latest?.executionId !== executionId) {
      throw new NotLatestPipelineExecutionException({
        message: `${executionId} is not the latest execution of stage ${stageName}`,
        ...meta,
      });
    }
    if (stage.current || stage.latest.status !== 'Failed' || e.status !== 'Failed') {
      throw new StageNotRetryableException({
        message: `Stage ${stageName} of ${executionId} is not in a failed state`,
        ...meta,
      });
    }
    e.status = 'InProgress';
    e.updatedAt = this.world.clock.now();
    stage.current = e.id;
    stage.latest = { executionId: e.id, status: 'InProgress' };
    this.pipelineEvent(e, 'RESUMED');
    this.stageEvent(e, stage, 'RESUMED');
    this.world.note(`RetryStageExecution: ${this.label(e)} runs ${stageName}'s failed action again`);
    const gate = stage.spec.gate ? stage.actions.get(stage.spec.gate) : undefined;
    if (gate && gate.executionId === e.id && gate.status === 'Failed') this.startApproval(e, index);
    else this.startWork(e, index);
    return { pipelineExecutionId: e.id };
  }

  /** A person answers the waiting approval of `actionName` in the console (with the token the console holds). */
  answerInConsole(
    actionName: string,
    status: 'Approved' | 'Rejected',
    by: string,
    summary?: string,
  ): boolean {
    for (const stage of this.stages) {
      const run = stage.actions.get(actionName);
      if (run?.status !== 'InProgress' || !run.token) continue;
      const caller = this.world.caller;
      // A person in the console: an IAM user by name, or the ARN the scenario gives.
      this.world.caller = by.startsWith('arn:') ? by : `arn:aws:iam::${ACCOUNT}:user/${by}`;
      try {
        this.answerApproval(stage.spec.name, actionName, run.token, status, summary);
      } finally {
        this.world.caller = caller;
      }
      return true;
    }
    return false;
  }

  setTransition(stageName: string, enabled: boolean, reason: string | undefined, by: string): void {
    const index = this.stages.findIndex((s) => s.spec.name === stageName);
    const stage = this.stages[index];
    if (!stage) throw new StageNotFoundException({ message: `No stage ${stageName}`, ...meta });
    const changedBy = callerIdentity(by);
    stage.transition = {
      enabled,
      reason: enabled ? undefined : reason,
      changedBy,
      changedAt: this.world.clock.now(),
    };
    this.world.note(
      `${stageName} inbound transition ${enabled ? 'enabled' : `disabled (${reason})`} by ${changedBy}`,
    );
    if (enabled) this.admitInbound(index);
  }

  label(e: Execution): string {
    return `${e.commitId} (${e.id.slice(0, 8)})`;
  }

  // --- events ---------------------------------------------------------------------------------------

  private common(e: Execution): Record<string, unknown> {
    return {
      pipeline: this.spec.name,
      'execution-id': e.id,
      'start-time': e.startedAt.toISOString(),
      'pipeline-execution-attempt': 1.0,
      version: this.spec.version,
    };
  }

  private pipelineEvent(e: Execution, state: string): void {
    this.world.awsEvent('aws.codepipeline', 'CodePipeline Pipeline Execution State Change', [this.arn], {
      ...this.common(e),
      state,
      'execution-trigger': { 'trigger-type': e.triggerType, 'trigger-detail': `commit ${e.commitId}` },
    });
  }

  private stageEvent(e: Execution, stage: StageRuntime, state: string): void {
    this.world.awsEvent('aws.codepipeline', 'CodePipeline Stage Execution State Change', [this.arn], {
      ...this.common(e),
      stage: stage.spec.name,
      state,
    });
  }

  private actionEvent(
    e: Execution,
    stage: StageRuntime,
    action: string,
    category: string,
    state: string,
  ): void {
    const run = stage.actions.get(action);
    if (run)
      recordAction(e, { stage: stage.spec.name, action, category, state, run, at: this.world.clock.now() });
    this.world.awsEvent('aws.codepipeline', 'CodePipeline Action Execution State Change', [this.arn], {
      ...this.common(e),
      stage: stage.spec.name,
      action,
      state,
      region: REGION,
      'action-execution-id': run?.actionExecutionId,
      type: {
        owner: 'AWS',
        provider: category === 'Approval' ? 'Manual' : 'CodeDeploy',
        category,
        version: '1',
      },
      ...(state === 'FAILED' && category !== 'Approval' && run?.summary
        ? { 'execution-result': { 'external-execution-summary': run.summary, 'error-code': 'JobFailed' } }
        : {}),
    });
  }
}

/** Every work stage has one action, named after it (the source stage's is `SourceAction`). */
const actionNameOf = (stage: string): string => `${stage}Action`;

/**
 * `lastChangedBy` as CodePipeline reports it: the caller's IAM identity. A guard function (the simulator's caller
 * name, camelCase) appears as its Lambda role's assumed-role session; a scenario names a person by ARN, and any
 * other text is read as an IAM user's name.
 */
export function callerIdentity(by: string): string {
  if (by.startsWith('arn:')) return by;
  if (/^[a-z][A-Za-z0-9]*$/.test(by)) {
    const role = `leadout-release-guard-sim-${by[0]!.toUpperCase()}${by.slice(1)}Role`;
    return `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/leadout-release-guard-sim-${by}`;
  }
  return `arn:aws:iam::${ACCOUNT}:user/${by.replace(/[^\w+=,.@-]+/g, '-')}`;
}

export function pipelineNotFound(name: string): PipelineNotFoundException {
  return new PipelineNotFoundException({ message: `Pipeline ${name} not found`, ...meta });
}
