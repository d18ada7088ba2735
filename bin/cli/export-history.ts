import { parseArgs } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { GuardConfig } from '../../config/schema';
import { HISTORY_VERSION } from '../../simulator/backtest/history';
import { loadStage } from '../../simulator/stage-config';
import { readAlarms, type AlarmRecord } from './export/read-alarms';
import { EXPORT_IAM_ACTIONS, ExportError } from './export/read-calls';
import { readPipeline } from './export/read-pipeline';

export const EXPORT_HELP = `Usage: release-guard export-history --stage <stage> [--days 30] [--region <region>] [--profile <name>] [--dev-profile <name>] > history.json

Reads, with your AWS credentials and read-only calls only, the last <days> days of every pipeline the stage guards
(executions, action executions, who answered the gate) and of its selected Dev alarms (state changes), and prints
one JSON document for \`npm run simulate -- --stage <stage> --history history.json\` (docs/backtest.md).
IAM actions it needs: ${EXPORT_IAM_ACTIONS.join(', ')}.
Region: --region, else the stage's environments.deployment.region, else $AWS_REGION, else us-east-1.
Dev in its own account (environments.dev): its alarms are read with --dev-profile, in environments.dev.region.
Exit codes: 0 done, 1 an AWS call failed (AccessDenied names the missing action), 2 usage error.`;

export type ExportDeps = {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  credentials: (profile: string | undefined) => Promise<AwsCredentialIdentity>;
  now: () => Date;
  /** Tests point the SDK at a local stand-in of the APIs. */
  endpoint?: string;
};

const MAX_DAYS = 365;

export async function exportHistory(argv: readonly string[], deps: ExportDeps): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        days: { type: 'string', default: '30' },
        region: { type: 'string' },
        profile: { type: 'string' },
        'dev-profile': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return usage(deps, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    deps.stdout(EXPORT_HELP);
    return 0;
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    return usage(deps, `--days must be a whole number of days from 1 to ${MAX_DAYS}`);
  }
  if (!values.stage)
    return usage(deps, 'name the stage whose configuration says what to export: --stage <stage>');
  let config: GuardConfig;
  try {
    config = loadStage(values.stage).config;
  } catch (error) {
    return usage(deps, error instanceof Error ? error.message : String(error));
  }
  const dev = config.environments.dev;
  if (dev && !values['dev-profile']) {
    return usage(
      deps,
      `the Dev alarms live in account ${dev.accountId} (environments.dev): pass --dev-profile <profile there>`,
    );
  }
  const region =
    values.region ??
    config.environments.deployment?.region ??
    deps.env.AWS_REGION ??
    deps.env.AWS_DEFAULT_REGION ??
    'us-east-1';
  const to = deps.now();
  const from = new Date(to.getTime() - days * 24 * 3600_000);
  const settings = {
    region,
    credentials: () => deps.credentials(values.profile),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
    ...(deps.endpoint ? { endpoint: deps.endpoint } : {}),
  };
  const progress = (line: string) => deps.stderr(`export-history: ${line}`);
  try {
    const codepipeline = new CodePipelineClient(settings);
    const cloudwatch = new CloudWatchClient(
      dev
        ? {
            ...settings,
            region: dev.region ?? region,
            credentials: () => deps.credentials(values['dev-profile']),
          }
        : settings,
    );
    const pipelines = [];
    for (const p of config.pipelines)
      pipelines.push(await readPipeline(codepipeline, p.name, from, progress));
    const alarms = new Map<string, AlarmRecord>();
    for (const p of config.pipelines) {
      for (const alarm of await readAlarms(cloudwatch, p.devAlarms, from, to, progress))
        alarms.set(alarm.name, alarm);
    }
    const document = {
      version: HISTORY_VERSION,
      exportedAt: to.toISOString(),
      stage: values.stage,
      region,
      days,
      from: from.toISOString(),
      to: to.toISOString(),
      pipelines,
      alarms: [...alarms.values()],
    };
    deps.stdout(JSON.stringify(document, null, 2));
    progress(
      `done: ${pipelines.map((p) => `${p.name} ${p.executions.length} executions`).join(', ')}, ${alarms.size} alarms`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    deps.stderr(`export-history: ${error.message}`);
    return 1;
  }
}

function usage(deps: ExportDeps, message: string): number {
  deps.stderr(`export-history: ${message}\nRun release-guard export-history --help for the options.`);
  return 2;
}
