import { parseArgs } from 'node:util';

import { COMMANDS, type CommandName } from '../../lib/command/command-schema';

/** What a command line asks for; the body is checked against the guard's own schema later, not here. */
export type CommandLine =
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string }
  | {
      kind: 'send';
      body: Record<string, unknown>;
      url: string | undefined;
      region: string | undefined;
      profile: string | undefined;
      json: boolean;
    };

export const HELP = `Usage: release-guard <command> [<pipeline>] [options]

Sends a command to the LeadOut Release Guard, signed with your AWS credentials (SigV4).

Commands:
  hold <pipeline> --reason <text> [--until <time>]    approve nothing for the pipeline while held
  release-hold <pipeline> [--reason <text>]           end a hold
  promote-now <pipeline> --reason <text> [--execution <id>] [--despite-alarm]
                                                      approve the waiting execution before its bake ends
  lift-block <pipeline> --reason <text>               re-open a transition the guard closed for an alarm
  rollback-now <pipeline> --reason <text>             restore the last known good release now
  status [<pipeline>]                                 what the guard believes right now
  history <pipeline> [--since <when>]                 its decisions, newest first, with who and why, and
                                                      DORA-style figures of the period (default: 30 days)
  export-history --stage <stage> [--days 30]          your pipeline's real history, for a backtest (read-only;
                                                      release-guard export-history --help, docs/backtest.md)

Options:
  --url <url>         the guard's function URL (default: $RELEASE_GUARD_URL)
  --region <region>   signing region (default: read from <id>.lambda-url.<region>.on.aws)
  --profile <name>    AWS profile (default: the SDK's usual chain, e.g. $AWS_PROFILE)
  --until <time>      ISO-8601 with a zone, e.g. 2026-12-04T16:00:00Z (at most 14 days ahead)
  --since <when>      ISO-8601 with a zone, a date (2026-11-01) or days back (90d)
  --json              print the guard's whole answer as JSON
  -h, --help          this text

Exit codes: 0 done, 1 refused or failed, 2 usage error (nothing was sent).`;

const OPTIONS = {
  reason: { type: 'string' },
  until: { type: 'string' },
  since: { type: 'string' },
  execution: { type: 'string' },
  'despite-alarm': { type: 'boolean' },
  url: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };

  const [command, pipeline, ...extra] = positionals;
  if (command === undefined) return { kind: 'usage-error', message: 'no command given' };
  if (!isCommand(command)) {
    return { kind: 'usage-error', message: `unknown command ${command}: use one of ${COMMANDS.join(', ')}` };
  }
  if (extra.length > 0) return { kind: 'usage-error', message: `unexpected argument ${extra[0]}` };

  const body: Record<string, unknown> = { command };
  if (pipeline !== undefined) body.pipeline = pipeline;
  if (values.reason !== undefined) body.reason = values.reason;
  if (values.until !== undefined) body.until = values.until;
  if (values.since !== undefined) body.since = values.since;
  if (values.execution !== undefined) body.execution = values.execution;
  if (values['despite-alarm'] === true) body.despiteAlarm = true;
  return {
    kind: 'send',
    body,
    url: values.url,
    region: values.region,
    profile: values.profile,
    json: values.json === true,
  };
}

function isCommand(text: string): text is CommandName {
  return (COMMANDS as readonly string[]).includes(text);
}
