/**
 * The guard's own principals: its reactions' roles (infra/*.yml) act as assumed-role sessions. The command
 * function's role is not one of them: it acts only for a person (a signed `release-guard lift-block`, recorded and
 * announced with who and why), so a transition it reopened is a person's lift, as if reopened in the console.
 */
export function isGuardPrincipal(arn: string | undefined): boolean {
  if (arn === undefined || isCommandPrincipal(arn)) return false;
  return /:assumed-role\/leadout-release-guard-[^/]+\//.test(arn);
}

/** The command function's role (fixed name `leadout-release-guard-<stage>-command`, infra/command.yml). */
export function isCommandPrincipal(arn: string): boolean {
  return /:assumed-role\/leadout-release-guard-[^/]+-(?:command|CommandRole)\//.test(arn);
}
