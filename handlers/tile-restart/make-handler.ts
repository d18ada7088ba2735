import { findPipeline, type GuardConfig } from '../../config/schema';
import { stageExecutionStateChange } from '../../events/aws/codepipeline-stage-execution-state-change';
import type { CodeDeployGateway } from '../../lib/aws/codedeploy';
import type { EcsGateway } from '../../lib/aws/ecs';
import type { Ledger } from '../../lib/aws/ledger';
import type { Outbox } from '../../lib/aws/outbox';
import type { TileLedger } from '../../lib/aws/tile-ledger';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { restartTileService } from './act-on-tile-restart';
import { tileTargets } from './decide-tile-restart';

export type TileRestartDeps = {
  config: GuardConfig;
  ecs: EcsGateway;
  codedeploy: CodeDeployGateway;
  tiles: Pick<TileLedger, 'claimRestart' | 'recordStarted' | 'recordStartOutcome'>;
  releases: Pick<Ledger, 'getRelease'>;
  outbox: Outbox;
  logger: GuardLogger;
  now: () => Date;
};

/** Prod succeeded for execution E (a rollback execution too): restart every configured tile service once. */
export function makeHandler(deps: TileRestartDeps) {
  return reaction('tile-restart', stageExecutionStateChange, deps.logger, async (event) => {
    const { detail } = event;
    const pipeline = findPipeline(deps.config, detail.pipeline);
    const targets = pipeline ? tileTargets(pipeline, detail.stage, detail.state) : [];
    if (!pipeline || targets.length === 0) {
      deps.logger.info('Not a Prod success of a pipeline with tile services', {
        pipeline: detail.pipeline,
        stage: detail.stage,
      });
      return;
    }
    const executionId = detail['execution-id'];
    // The commit is known when the guard saw E leave Dev; a rollback execution may have no record.
    const release = await deps.releases.getRelease(pipeline.name, executionId);
    for (const target of targets) {
      await restartTileService(deps, { pipeline: pipeline.name, executionId, ...target }, release);
    }
  });
}
