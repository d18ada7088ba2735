import type { Link } from './notice';

/**
 * AWS console addresses. The region comes from the event (the guard's bus) or from an alarm's ARN; without one
 * there is no link rather than a wrong one. The console opens in whichever account the reader is signed in to.
 */
const base = (region: string) => `https://${region}.console.aws.amazon.com`;
/** encodeURIComponent throws on a lone surrogate (a malformed name in an event): well-formed first. */
const e = (text: string) =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

export function executionLink(
  region: string | undefined,
  pipeline: string,
  executionId: string,
  label?: string,
): Link[] {
  if (!region) return [];
  return [
    {
      label: label ?? `execution ${executionId.slice(0, 8)}`,
      url: `${base(region)}/codesuite/codepipeline/pipelines/${e(pipeline)}/executions/${e(executionId)}/timeline?region=${region}`,
    },
  ];
}

export function pipelineLink(region: string | undefined, pipeline: string): Link[] {
  if (!region) return [];
  return [
    {
      label: `pipeline ${pipeline}`,
      url: `${base(region)}/codesuite/codepipeline/pipelines/${e(pipeline)}/view?region=${region}`,
    },
  ];
}

export function alarmLink(region: string | undefined, alarm: { name: string; arn?: string }): Link[] {
  const where = alarm.arn?.split(':')[3] || region;
  if (!where) return [];
  return [
    {
      label: `alarm ${alarm.name}`,
      url: `${base(where)}/cloudwatch/home?region=${where}#alarmsV2:alarm/${e(alarm.name)}`,
    },
  ];
}

export function ecsServiceLink(region: string | undefined, cluster: string, service: string): Link[] {
  if (!region) return [];
  return [
    {
      label: `ECS service ${service}`,
      url: `${base(region)}/ecs/v2/clusters/${e(cluster)}/services/${e(service)}/deployments?region=${region}`,
    },
  ];
}

/** The stage's release-safety dashboard (config/dashboard.cjs), in the guard's own region. */
export function dashboardLink(region: string | undefined, dashboardName: string | undefined): Link[] {
  if (!region || !dashboardName) return [];
  return [
    {
      label: 'release dashboard',
      url: `${base(region)}/cloudwatch/home?region=${region}#dashboards/dashboard/${e(dashboardName)}`,
    },
  ];
}

export function codeDeployLink(region: string | undefined, deploymentId: string): Link[] {
  if (!region) return [];
  return [
    {
      label: `CodeDeploy deployment ${deploymentId}`,
      url: `${base(region)}/codesuite/codedeploy/deployments/${e(deploymentId)}?region=${region}`,
    },
  ];
}
