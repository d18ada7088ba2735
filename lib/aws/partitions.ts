/**
 * The ledger table's partitions, one kind of record each: `<kind>#<pipeline>` (or `#<kind>` for a kind that is
 * not per pipeline). IAM's `dynamodb:LeadingKeys` sees only the partition key, so a kind told apart by its sort
 * key alone could be written by every role that writes the table; here each role is granted exactly the
 * partitions of the kinds it owns (infra/<function>.yml, docs/design.md "Who may write what"). CodePipeline names
 * match [A-Za-z0-9.@_-]+, so no pipeline name holds a `#` and no prefix can be forged by naming a pipeline.
 */
/**
 * Whose decision journal: each acting function's own, except `gate`, shared by the alarm gate and the reconciler
 * (both key an observe-mode block and a transition left disabled by `decisionKey()` in decide-gate.ts, so each
 * such decision is announced once whichever of them sees it first).
 */
export type JournalOwner = (typeof JOURNAL_OWNERS)[number];
export const JOURNAL_OWNERS = [
  'gate',
  'bake-start',
  'promote',
  'rollback',
  'codedeploy-report',
  'tile-restart',
  'tile-follow',
  'command',
] as const;

export const partitionOf = {
  /** Release records (lib/aws/ledger.ts): written by bake-start only. */
  release: (pipeline: string) => `release#${pipeline}`,
  /** Restore records (lib/aws/rollback-ledger.ts): written by rollback only; they let a restore pass the gate. */
  restore: (pipeline: string) => `restore#${pipeline}`,
  /** Rollback claims (lib/aws/rollback-ledger.ts): one report per failed CodeDeploy deployment. */
  rollbackClaim: (pipeline: string) => `rollback#${pipeline}`,
  /** A tile restart's record in its pipeline (lib/aws/tile-ledger.ts). */
  tileRestart: (pipeline: string) => `tile#${pipeline}`,
  /**
   * The decision journal of one owner (lib/act/journal.ts): only that owner's functions may plant an entry it
   * would resume. Owners are functions, except `gate`: the alarm gate and the reconciler share decision keys.
   */
  journal: (owner: JournalOwner, pipeline: string) => `journal#${owner}#${pipeline}`,
  /** The reconciler's marks of journal decisions it announced for a function that could not (lib/act/sweep.ts). */
  swept: (pipeline: string) => `swept#${pipeline}`,
  /** The failed-attempt counters of one reaction (lib/act/attempts.ts). */
  attempts: (reaction: string) => `attempts#${reaction}`,
  /** Tile restarts by deployment id (lib/aws/tile-ledger.ts): recorded by tile-restart, outcome by tile-follow. */
  tileDeployments: () => '#tile-deployments',
  /** Slack notifications (lib/aws/notification-ledger.ts): notify only. */
  notifications: () => '#notifications',
  /** A person's holds on a pipeline's releases (lib/aws/holds.ts): the command function only; the gate reads them. */
  hold: (pipeline: string) => `hold#${pipeline}`,
  /** A person's promote-now of one execution (lib/aws/holds.ts): the command function only; promote trusts it. */
  override: (pipeline: string) => `override#${pipeline}`,
  /** Slack signatures already accepted (lib/aws/slack-marks.ts): the Slack endpoint only, against replays. */
  slackSignatures: () => '#slack-signatures',
  /** Slack actions already acted on (lib/aws/slack-marks.ts): the command function only, once per click. */
  slackActions: () => '#slack-actions',
  /** Metric claims (lib/aws/metric-claims.ts): metrics only. */
  metric: (pipeline: string) => `metric#${pipeline}`,
  /** The decision history (lib/aws/history.ts): the history function writes it, the command function reads it. */
  history: (pipeline: string) => `history#${pipeline}`,
  /** When the history first saw each decision key, so a copy of a decision lands on the same item. */
  historyKey: (pipeline: string) => `historykey#${pipeline}`,
};
