import { describe, expect, it } from 'vitest';
import { decideCodeDeployReport } from '../../handlers/codedeploy-report/decide-codedeploy-report';

const failure = { pipeline: 'leadout', application: 'leadout-api', deploymentGroup: 'leadout-api-prod' };
const failed = (rollbackMessage?: string) =>
  decideCodeDeployReport(failure, {
    deploymentId: 'd-BROKEN001',
    status: 'Failed',
    rollbackDeploymentId: 'd-RBACK0002',
    rollbackMessage,
  });

describe('codedeploy-report says how CodeDeploy’s own rollback went, from rollbackInfo.rollbackMessage', () => {
  it('a failed self-rollback is never "rolled back itself": redeploy by hand', () => {
    const report = failed('Automatic rollback deployment d-RBACK0002 failed');
    expect(report.codeDeployRolledBack).toBe(false);
    expect(report.detail).toContain("CodeDeploy's own rollback d-RBACK0002 failed too");
    expect(report.detail).toContain('redeploy by hand');
    expect(report.detail).not.toContain('rolled back itself');
  });

  it('one in progress: rolling back, outcome reported when it ends', () => {
    const report = failed('Automatic rollback deployment d-RBACK0002 is in progress');
    expect(report.codeDeployRolledBack).toBe(true);
    expect(report.detail).toContain('rolling back itself with d-RBACK0002 (in progress)');
  });

  it('one that succeeded: rolled back itself', () => {
    expect(failed('Automatic rollback deployment d-RBACK0002 succeeded').detail).toContain(
      'CodeDeploy rolled back itself with d-RBACK0002.',
    );
  });

  it('a message about the deployment itself ("Deployment failed") or none: started, not judged', () => {
    for (const message of ['Deployment failed', undefined]) {
      const report = failed(message);
      expect(report.codeDeployRolledBack).toBe(true);
      expect(report.detail).toContain('CodeDeploy started its own rollback d-RBACK0002');
      expect(report.detail).not.toContain('failed too');
    }
  });

  it('no rollback id: CodeDeploy did not roll back', () => {
    const report = decideCodeDeployReport(failure, { deploymentId: 'd-BROKEN001', status: 'Failed' });
    expect(report.codeDeployRolledBack).toBe(false);
    expect(report.detail).toContain('did not roll back');
  });
});
