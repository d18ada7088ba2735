import type { GuardConfig } from '../../config/schema';
import type { Caller, CommandRequest } from './run-command';

/**
 * Whether the config's `people` let this IAM identity run this command. A principal is an exact ARN or ends in `*`
 * (a prefix); an assumed-role session `arn:aws:sts::<account>:assumed-role/<role>/<session>` also matches the role
 * itself, `arn:aws:iam::<account>:role/<path/><role>` (IAM role names are unique in an account, whatever the path).
 * Nobody is allowed anything by default.
 */
export function allowedBy(config: GuardConfig) {
  return (caller: Caller, command: CommandRequest['command']): boolean =>
    config.people.some(
      (grant) => grant.commands.includes(command) && grant.principals.some((p) => matches(p, caller.arn)),
    );
}

function matches(principal: string, arn: string): boolean {
  if (principal.endsWith('*')) return arn.startsWith(principal.slice(0, -1));
  if (principal === arn) return true;
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/.exec(arn);
  const role = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(principal);
  return !!session && !!role && session[1] === role[1] && session[2] === role[2] && session[3] === role[3];
}
