import type { GuardConfig } from '../../config/schema';
import { codeDeployDeploymentStateChange } from '../../events/aws/codedeploy-deployment-state-change';
import { guardFailed } from '../../events/guard/guard-failed';
import { rollbackSkipped } from '../../events/guard/rollback-skipped';
import type { CodeDeployReader } from '../../lib/aws/codedeploy';
import type { GuardBus } from '../../lib/aws/guard-bus';
import { decisionKeyOf, type Outbox } from '../../lib/aws/outbox';
import type { RollbackLedger } from '../../lib/aws/rollback-ledger';
import { describeError } from '../../lib/errors';
import { reaction, type GuardLogger } from '../../lib/reaction';
import { decideCodeDeployReport } from './decide-codedeploy-report';

export type CodeDeployReportDeps = {
  config: GuardConfig;
  codedeploy: CodeDeployReader;
  ledger: Pick<RollbackLedger, 'claimRollback'>;
  /** GuardFailed: each failure is its own report, so it needs no outbox. */
  bus: GuardBus;
  outbox: Outbox;
  logger: GuardLogger;
  now: () => Date;
};

/** A deployment failed in a configured CodeDeploy group: report whether CodeDeploy rolled back itself. */
export function makeHandler(deps: CodeDeployReportDeps) {
  return reaction('codedeploy-report', codeDeployDeploymentStateChange, deps.logger, async (event) => {
    const d = event.detail;
    const pipeline = deps.config.pipelines.find((p) =>
      p.codeDeployGroups.some(
        (g) => g.application === d.application && g.deploymentGroup === d.deploymentGroup,
      ),
    );
    if (!pipeline || d.state !== 'FAILURE') {
      deps.logger.info('Not a failure in a configured deployment group', { detail: d });
      return;
    }
    const failure = {
      pipeline: pipeline.name,
      application: d.application,
      deploymentGroup: d.deploymentGroup,
    };
    let deployment;
    try {
      deployment = await deps.codedeploy.getDeployment(d.deploymentId);
    } catch (error) {
      await deps.bus.emit(guardFailed, {
        mode: deps.config.mode,
        reaction: 'codedeploy-report',
        pipeline: pipeline.name,
        error: describeError(error),
        consequence: `deployment ${d.deploymentId} failed; whether CodeDeploy rolled back is unknown`,
      });
      return;
    }
    const report = decideCodeDeployReport(failure, deployment);
    deps.logger.info('CodeDeploy report', { decision: report });
    const key = decisionKeyOf(pipeline.name, 'codedeploy', d.deploymentId);
    const claimed = await deps.ledger.claimRollback(
      pipeline.name,
      `codedeploy:${d.deploymentId}`,
      'report',
      deps.now(),
    );
    if (!claimed) {
      deps.logger.info('Deployment failure already reported: a duplicate event', {
        deploymentId: d.deploymentId,
      });
      await deps.outbox.flush(key);
      return;
    }
    await deps.outbox.announce(key, rollbackSkipped, { ...report, mode: deps.config.mode });
  });
}
