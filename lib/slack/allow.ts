import type { SlackConfig } from './slack-config';

/**
 * Who may press what in Slack: the workspace and the channel the guard posts to, then the command's allow rules
 * (user ids, or members of one user group). `status` only reads what the guard already announces in that channel,
 * so every member there may ask. A user group that cannot be resolved (Slack down, a revoked token) allows nobody
 * through that rule: fail closed.
 */
export type GroupMembers = (userGroup: string) => Promise<ReadonlySet<string>>;

export type SlackAuthorization = { allowed: true; rule: string } | { allowed: false; reason: string };

export async function authorizeSlackAction(
  slack: SlackConfig,
  who: { teamId: string; channelId: string; userId: string; command: string },
  members: GroupMembers,
): Promise<SlackAuthorization> {
  if (who.teamId !== slack.teamId)
    return { allowed: false, reason: `workspace ${who.teamId} is not the guard's` };
  if (who.channelId !== slack.channelId) {
    return {
      allowed: false,
      reason: `commands are taken only in the guard's channel, not in ${who.channelId}`,
    };
  }
  if (who.command === 'status' || who.command === 'history')
    return { allowed: true, rule: `${who.command} is open to the channel` };
  let unresolved: string | undefined;
  for (const rule of slack.allow) {
    if (!(rule.commands as string[]).includes(who.command)) continue;
    if (rule.users?.includes(who.userId)) return { allowed: true, rule: `user ${who.userId}` };
    if (rule.userGroup === undefined) continue;
    try {
      if ((await members(rule.userGroup)).has(who.userId))
        return { allowed: true, rule: `group ${rule.userGroup}` };
    } catch {
      unresolved = rule.userGroup;
    }
  }
  return {
    allowed: false,
    reason:
      unresolved !== undefined
        ? `could not ask Slack who is in user group ${unresolved}, so ${who.command} is refused (try again)`
        : `<@${who.userId}> may not run ${who.command} (config slack.allow)`,
  };
}
