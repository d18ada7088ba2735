import * as z from '../zod';
import { once } from '../lazy';

import { COMMANDS, type CommandName } from './command-schema';
import type { CommandCaller } from './request';

/**
 * Who may run which command: the stage config key `people`. The caller is the IAM principal Lambda verified
 * (request.ts); these rules only say what a verified principal may do.
 *
 * Principal patterns, compared case-sensitively like IAM's own ArnEquals:
 * - `arn:aws:iam::<acct>:user/<path/>name` — that IAM user, exactly.
 * - `arn:aws:iam::<acct>:role/<path/>name` — anyone acting through that role: a caller arrives as
 *   `arn:aws:sts::<acct>:assumed-role/<name>/<session>`, which carries the role's name but not its path. Role
 *   names are unique within an account whatever their path, so partition, account and name decide.
 * - `arn:aws:sts::<acct>:assumed-role/<name>/<session>` — one session of a role; the session may end in `*`
 *   (`…/Developer/*`, `…/Developer/dana.*`). `*` is accepted nowhere else.
 * A caller ARN that is not exactly a user or `assumed-role/<name>/<session>` (more `/`, a root or federated
 * user) matches nothing.
 *
 * `status` and `history` only read what the guard already announces, so every verified caller may run them, with
 * or without `people`. Without `people` nothing else is allowed: commands that change a release need an explicit rule.
 */

const PARTITION = 'aws(?:-[a-z]+)*';
const ACCOUNT = '\\d{12}';
/** IAM's name and path characters (`[\w+=,.@-]`); a session name has the same alphabet and no `/`. */
const NAME = '[\\w+=,.@-]+';
const PATH = `(?:${NAME}/)*`;

const USER_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):user/${PATH}${NAME}$`);
const ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):role/${PATH}(${NAME})$`);
const SESSION_PATTERN = new RegExp(
  `^arn:(${PARTITION}):sts::(${ACCOUNT}):assumed-role/(${NAME})/(${NAME}\\*?|\\*)$`,
);
const ASSUMED_ROLE = new RegExp(`^arn:(${PARTITION}):sts::(${ACCOUNT}):assumed-role/(${NAME})/(${NAME})$`);

/** The `people` key, built on first use (lib/lazy.ts). */
export const peopleSchema = /* @__PURE__ */ once(() => {
  const principal = z
    .string()
    .check(
      z.refine(
        (text) => USER_ARN.test(text) || ROLE_ARN.test(text) || SESSION_PATTERN.test(text),
        'must be an IAM user or role ARN, or an assumed-role ARN whose session may end in *',
      ),
    );

  return z.strictObject({
    allow: z
      .array(
        z.strictObject({
          principals: z.array(principal).check(z.minLength(1)),
          commands: z.array(z.enum(COMMANDS)).check(z.minLength(1)),
        }),
      )
      .check(z.minLength(1)),
  });
});

export type People = z.infer<ReturnType<typeof peopleSchema>>;

export type Authorization =
  | { allowed: true; command: CommandName; caller: string; rule: string }
  | { allowed: false; command: CommandName; caller: string; reason: string };

export function authorizeCommand(
  people: People | undefined,
  caller: CommandCaller,
  command: CommandName,
): Authorization {
  if (command === 'status' || command === 'history')
    return { allowed: true, command, caller: caller.arn, rule: `${command} is open to callers IAM verified` };
  for (const entry of people?.allow ?? []) {
    if (!entry.commands.includes(command)) continue;
    const rule = entry.principals.find((pattern) => principalMatches(pattern, caller.arn));
    if (rule !== undefined) return { allowed: true, command, caller: caller.arn, rule };
  }
  const reason =
    people === undefined
      ? `no people are configured: only status is allowed`
      : `${caller.arn} may not run ${command}`;
  return { allowed: false, command, caller: caller.arn, reason };
}

export function principalMatches(pattern: string, callerArn: string): boolean {
  if (USER_ARN.test(pattern)) return pattern === callerArn;
  const caller = ASSUMED_ROLE.exec(callerArn);
  if (caller === null) return false;
  const [, partition, account, roleName, session] = caller;

  const role = ROLE_ARN.exec(pattern);
  if (role !== null) return role[1] === partition && role[2] === account && role[3] === roleName;

  const wanted = SESSION_PATTERN.exec(pattern);
  if (wanted === null || wanted[1] !== partition || wanted[2] !== account || wanted[3] !== roleName)
    return false;
  const wantedSession = wanted[4] ?? '';
  return wantedSession.endsWith('*')
    ? (session ?? '').startsWith(wantedSession.slice(0, -1))
    : session === wantedSession;
}
