import {
  ConflictException,
  InvalidNextTokenException,
  StageNotFoundException,
  UnableToRollbackStageException,
  ValidationException,
  type ActionExecutionDetail,
  type ListActionExecutionsInput,
  type ListPipelineExecutionsInput,
  type PipelineExecution,
  type PipelineExecutionSummary,
  type RollbackStageInput,
  type StartPipelineExecutionInput,
} from '@aws-sdk/client-codepipeline';
import type { Execution, PipelineModel } from './codepipeline-world';
import { page, type PageSizes } from './paging';
import type { World } from './world';

const meta = { $metadata: {} };

/** What CodePipeline says about executions, rollbacks and restarts: the calls the rollback reaction makes. */
export class PipelineRollbacks {
  /** clientRequestToken → the execution it started: a repeated request starts nothing new. */
  private readonly tokens = new Map<string, string>();
  /** The scenario's smaller pages (`world.pageSizes`). */
  pageSizes: PageSizes = {};

  constructor(private readonly world: World) {}

  getExecution(p: PipelineModel, id: string): { pipelineExecution: PipelineExecution } {
    const e = p.execution(id);
    return {
      pipelineExecution: {
        pipelineName: p.spec.name,
        pipelineVersion: e.pipelineVersion,
        pipelineExecutionId: e.id,
        status: e.status,
        artifactRevisions: [{ name: 'SourceArtifact', revisionId: e.commitId, revisionSummary: e.message }],
        trigger: { triggerType: e.triggerType as 'WebhookV2' },
        executionMode: 'SUPERSEDED',
        executionType: e.type,
        rollbackMetadata: e.rollbackOf
          ? { rollbackTargetPipelineExecutionId: e.rollbackOf.targetId }
          : undefined,
      },
    };
  }

  /** Newest first, `maxResults` (at most 100) per page. */
  list(p: PipelineModel, i: ListPipelineExecutionsInput) {
    const invalid = (token: string) =>
      new InvalidNextTokenException({ message: `Invalid nextToken ${token}`, ...meta });
    const { items, next } = page(
      p.order,
      'ListPipelineExecutions',
      i.maxResults,
      i.nextToken,
      this.pageSizes,
      invalid,
    );
    const summaries = items.map((id) => summary(p.executions.get(id)!, p.sourceActionName));
    return { pipelineExecutionSummaries: summaries, nextToken: next };
  }

  listActions(
    p: PipelineModel,
    i: ListActionExecutionsInput,
  ): { actionExecutionDetails: ActionExecutionDetail[] } {
    const e = p.execution(i.filter?.pipelineExecutionId ?? '');
    return {
      actionExecutionDetails: [...e.actions].reverse().map((a) => ({
        pipelineExecutionId: e.id,
        actionExecutionId: a.actionExecutionId,
        pipelineVersion: e.pipelineVersion,
        stageName: a.stage,
        actionName: a.action,
        startTime: a.startTime,
        lastUpdateTime: a.lastUpdateTime,
        status: a.status,
        input: {
          actionTypeId: {
            category: a.category as 'Deploy',
            owner: 'AWS',
            provider: a.category === 'Approval' ? 'Manual' : 'CodeDeploy',
            version: '1',
          },
        },
        output: a.summary ? { executionResult: { externalExecutionSummary: a.summary } } : undefined,
        ...(a.updatedBy ? { updatedBy: a.updatedBy } : {}),
      })),
    };
  }

  /** CodePipeline's rules (userguide "Considerations for rollbacks"), then a ROLLBACK execution of one stage. */
  rollbackStage(p: PipelineModel, i: RollbackStageInput): { pipelineExecutionId: string } {
    const index = p.stages.findIndex((s) => s.spec.name === i.stageName);
    const stage = p.stages[index];
    if (!stage) throw new StageNotFoundException({ message: `No stage ${i.stageName}`, ...meta });
    const target = p.execution(i.targetPipelineExecutionId ?? '');
    const refuse = (why: string) => new UnableToRollbackStageException({ message: why, ...meta });
    if (index === 0) throw refuse('A source stage cannot be rolled back');
    if (target.type === 'ROLLBACK') throw refuse('The target execution is a rollback');
    if (target.pipelineVersion !== p.spec.version) {
      throw refuse(
        `The target ran in pipeline version ${target.pipelineVersion}, the pipeline is at ${p.spec.version}`,
      );
    }
    if (!target.actions.some((a) => a.stage === stage.spec.name && a.status === 'Succeeded')) {
      throw refuse(`The target did not succeed in ${stage.spec.name}`);
    }
    if (stage.current) throw busy(p, `${stage.spec.name} is running`);
    const r = p.start(target.commitId, target.message, {
      type: 'ROLLBACK',
      triggerType: 'ManualRollback',
      rollbackOf: { stage: stage.spec.name, targetId: target.id },
      failIn: p.spec.failRestoresIn,
    });
    this.world.note(`RollbackStage: ${r.id.slice(0, 8)} rolls ${stage.spec.name} back to ${p.label(target)}`);
    return { pipelineExecutionId: r.id };
  }

  /** A start with explicit revisions (the restore path); the same token returns the same execution. */
  start(p: PipelineModel, i: StartPipelineExecutionInput): { pipelineExecutionId: string } {
    const token = i.clientRequestToken ? `${p.spec.name}/${i.clientRequestToken}` : undefined;
    const known = token ? this.tokens.get(token) : undefined;
    if (known) return { pipelineExecutionId: known };
    const unknown = (i.sourceRevisions ?? []).filter((r) => r.actionName !== p.sourceActionName);
    if (unknown.length > 0) {
      const names = unknown.map((r) => r.actionName).join(', ');
      throw new ValidationException({
        message: `Source revision override for ${names}: no such source action in pipeline ${p.spec.name}`,
        ...meta,
      });
    }
    const commitId = i.sourceRevisions?.[0]?.revisionValue;
    if (!commitId)
      throw new ValidationException({ message: 'simulator: a start without sourceRevisions', ...meta });
    const previous = [...p.executions.values()].find((e: Execution) => e.commitId === commitId);
    const e = p.start(commitId, previous?.message ?? '', {
      triggerType: 'StartPipelineExecution',
      sourceOverride: true,
      failIn: p.spec.failRestoresIn,
    });
    if (token) this.tokens.set(token, e.id);
    this.world.note(`StartPipelineExecution: ${e.id.slice(0, 8)} runs ${commitId} again`);
    return { pipelineExecutionId: e.id };
  }
}

/** A running stage: the scenario picks which of the two documented errors CodePipeline sends. */
function busy(p: PipelineModel, why: string): Error {
  return p.spec.rollbackStageBusyError === 'ConflictException'
    ? new ConflictException({ message: `The pipeline is busy: ${why}`, ...meta })
    : new UnableToRollbackStageException({ message: `Unable to roll back: ${why}`, ...meta });
}

function summary(e: Execution, sourceAction: string): PipelineExecutionSummary {
  return {
    pipelineExecutionId: e.id,
    status: e.status,
    startTime: e.startedAt,
    lastUpdateTime: e.updatedAt,
    sourceRevisions: [{ actionName: sourceAction, revisionId: e.commitId, revisionSummary: e.message }],
    trigger: { triggerType: e.triggerType as 'WebhookV2' },
    executionMode: 'SUPERSEDED',
    executionType: e.type,
    rollbackMetadata: e.rollbackOf ? { rollbackTargetPipelineExecutionId: e.rollbackOf.targetId } : undefined,
  };
}
