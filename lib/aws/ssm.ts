import { namingCalls } from '../act/calls';
import { clientSettings } from './client-settings';
import { awsJson11, type SignedCallSettings } from './signed-call';

/**
 * The two SSM operations the guard calls, over lib/aws/signed-call.ts (awsJson1_1, `X-Amz-Target: AmazonSSM.<Op>`)
 * instead of @aws-sdk/client-ssm, which bundles every SSM error class and schema (~16 KiB zipped) for them. The
 * commands keep the SDK's names and input shapes, so the simulator's fake SSM (which reads the operation from the
 * class name) and its scenarios answer them unchanged. Outputs are AWS's JSON, unvalidated: the narrow functions
 * (lib/aws/change-calendar.ts, lib/aws/ssm-parameter.ts) check what they use.
 */
export class GetParameterCommand {
  /** Minified bundles rename classes: lib/act/calls.ts `operationOf` reads this. */
  readonly operation = 'GetParameter';
  constructor(readonly input: { Name: string; WithDecryption?: boolean }) {}
}

export class GetCalendarStateCommand {
  readonly operation = 'GetCalendarState';
  constructor(readonly input: { CalendarNames: string[]; AtTime?: string }) {}
}

export type GetParameterOutput = { Parameter?: { Name?: unknown; Value?: unknown } };
export type GetCalendarStateOutput = { State?: unknown; AtTime?: unknown; NextTransitionTime?: unknown };

type Outputs = { GetParameter: GetParameterOutput; GetCalendarState: GetCalendarStateOutput };
export type SsmCommand = GetParameterCommand | GetCalendarStateCommand;
type OutputOf<C> = C extends GetParameterCommand
  ? GetParameterOutput
  : C extends GetCalendarStateCommand
    ? GetCalendarStateOutput
    : never;

export type SsmClient = { send<C extends SsmCommand>(command: C): Promise<OutputOf<C>> };

/** SSM as every handler builds it: the guard's timeouts and retries, errors naming their call (`ssm.GetParameter`). */
export function ssmClient(settings: SignedCallSettings = clientSettings()): SsmClient {
  const call = awsJson11('ssm', 'AmazonSSM', settings);
  const client: SsmClient = {
    send: async <C extends SsmCommand>(command: C) =>
      (await call(command.operation, command.input)) as Outputs[C['operation']] as OutputOf<C>,
  };
  return namingCalls(client, 'ssm');
}
