import type { Deployment } from '../config/runtime';
import { parseGuardConfig, type GuardConfig } from '../config/schema';
import { functionRules } from '../events/rules';
import { scheduledTicks } from './scheduled-ticks';
import { emitContributorChange } from './world/alarm-shapes';
import type { GuardLogger } from '../lib/reaction';
import { matchesPattern } from './event-pattern';
import { checkExpectations, type ExpectationResult } from './expectations';
import { guardFunctions } from './guard-functions';
import { DEFAULT_STAGES, type Scenario, type Step } from './scenario';
import type { AwsEvent } from './world/aws-event';
import { usePageSizes } from './world/paging';
import { fakeClients } from './world/services';
import { assumingRole } from './world/sts-world';
import { fakeSlackApi, fakeSlackFetch, SIM_SIGNING_SECRET, SIM_WEBHOOK_URL } from './world/slack-world';
import { buttonBody, functionUrlEvent, signedHeaders, slashBody } from './slack-requests';
import { ACTION_PREFIX, type ButtonValue } from '../lib/slack/buttons';
import type { TimelineEntry } from './world/timeline';
import { World } from './world/world';
import { ACCOUNT } from './world/aws-event';
import { deliverOne, invokeUrl, invokeUrlEvent, type Route } from './deliver-event';
import type { GuardFunction } from './guard-functions';
import { armFault } from './world/faults';
import { currentInvocation, lambdaSleep, never } from './world/lambda';

export const SIM_DEPLOYMENT: Deployment = {
  busName: 'leadout-release-guard-sim',
  busArn: 'arn:aws:events:us-east-1:111122223333:event-bus/leadout-release-guard-sim',
  ledgerTable: 'leadout-release-guard-sim-ledger',
  scheduleGroup: 'leadout-release-guard-sim',
  schedulerRoleArn: 'arn:aws:iam::111122223333:role/leadout-release-guard-sim-scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:111122223333:leadout-release-guard-dlq',
};

const SIM_CONFIG_DEFAULTS = {
  mode: 'enforce',
  slackWebhookParameter: '/leadout/release-guard/slack-webhook',
  pipelines: [{ name: 'leadout', devAlarms: { namePrefix: 'leadout-dev-' } }],
};

export type ScenarioRun = {
  scenario: Scenario;
  world: World;
  timeline: TimelineEntry[];
  results: ExpectationResult[];
  /** Every event delivered on a bus, in order. */
  delivered: AwsEvent[];
};

export type RunOptions = {
  /** The routing table; tests swap in a broken one to prove that routing really depends on the patterns. */
  rules?: typeof functionRules;
  /** The guard's SDK request timeout (default lib/aws/client-settings.ts); `undefined`: none, as the SDK's default. */
  requestTimeoutMs?: number | undefined;
};

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const config = parseGuardConfig(
    { ...SIM_CONFIG_DEFAULTS, ...scenario.config },
    `scenario "${scenario.name}" config`,
  );
  const world = buildWorld(scenario, config);
  if ('requestTimeoutMs' in options) world.clientTimeouts.requestTimeoutMs = options.requestTimeoutMs;
  const functions = guardFunctions(
    config,
    SIM_DEPLOYMENT,
    (target) =>
      target ? assumingRole(world, target, fakeClients(world, target.accountId)) : fakeClients(world),
    captureLogger(world),
    {
      now: () => world.clock.now(),
      sleep: (ms) => lambdaSleep(world, ms),
    },
    {
      slackFetch: whileAlive(fakeSlackFetch(world, SIM_WEBHOOK_URL)),
      slackApi: whileAlive(fakeSlackApi(world)),
      publishMetrics: (m) => {
        if (!currentInvocation()?.dead) world.metrics.push(m);
      },
    },
  );
  const routes: Route[] = Object.entries((options.rules ?? functionRules)(config)).flatMap(([name, rules]) =>
    rules.map((rule) => ({ name, rule })),
  );
  for (const name of new Set(routes.map((r) => r.name))) {
    if (!functions[name]) throw new Error(`simulator has no handler for function ${name} of events/rules.ts`);
  }
  const delivered: AwsEvent[] = [];

  const deliver = async () => {
    for (let d = world.inbox.shift(); d; d = world.inbox.shift()) {
      await deliverOne(world, d, routes, functions, delivered);
    }
  };
  const runUntil = async (until: number) => {
    await deliver();
    for (let due = world.clock.takeDue(until); due; due = world.clock.takeDue(until)) {
      due();
      await deliver();
    }
    world.clock.advanceTo(until);
  };

  const start = world.start.getTime();
  const steps = [...scenario.timeline].sort((a, b) => a.at - b.at);
  const end = start + ((steps.at(-1)?.at ?? 0) + scenario.runFor) * 60_000;
  if (scenario.scheduled) {
    scheduledTicks(world, config, end, routes, scenario.scheduled === true ? undefined : scenario.scheduled);
  }
  for (const step of steps) {
    await runUntil(start + step.at * 60_000);
    if ('person' in step) await personCommand(world, step.person, functions, config);
    else if ('slackClick' in step) await slackClick(world, step.slackClick, functions, config);
    else applyStep(world, step, delivered);
    await deliver();
  }
  await runUntil(end);
  return {
    scenario,
    world,
    timeline: world.timeline,
    results: checkExpectations(scenario, world),
    delivered,
  };
}

function buildWorld(scenario: Scenario, config: GuardConfig): World {
  const world = new World(
    new Date(scenario.start),
    { name: SIM_DEPLOYMENT.busName, arn: SIM_DEPLOYMENT.busArn },
    {
      [SIM_DEPLOYMENT.ledgerTable]: ['pipeline', 'executionId'],
    },
  );
  const specs: NonNullable<Scenario['world']['pipelines']> =
    scenario.world.pipelines ??
    config.pipelines.map((p) => ({ name: p.name, tokenLagSeconds: 2, version: 1 }));
  for (const spec of specs) {
    const guarded = config.pipelines.find((p) => p.name === spec.name);
    const stages =
      spec.stages ??
      DEFAULT_STAGES.map((s) =>
        s.name === 'Dev'
          ? { ...s, name: guarded?.devStage ?? 'Dev' }
          : s.name === 'Prod'
            ? { ...s, name: guarded?.prodStage ?? 'Prod', gate: guarded?.gateAction ?? 'BakeGate' }
            : s,
      );
    world.addPipeline({ ...spec, stages });
  }
  usePageSizes(world, scenario.world.pageSizes);
  for (const account of scenario.world.accounts) world.accounts.set(account.id, account);
  const at = (minutes: number) => new Date(world.start.getTime() + minutes * 60_000);
  for (const c of scenario.world.calendars) {
    world.calendars.define(
      c.name,
      c.closed.map((p) => ({ from: at(p.from), ...(p.until !== undefined ? { until: at(p.until) } : {}) })),
    );
  }
  for (const alarm of scenario.world.alarms) world.alarms.add(alarm);
  for (const service of scenario.world.ecs) {
    world.ecs.add(service);
    world.codedeploy.addService(service);
  }
  world.parameters.set(config.slackWebhookParameter, SIM_WEBHOOK_URL);
  if (config.slack) world.parameters.set(config.slack.signingSecretParameter, SIM_SIGNING_SECRET);
  for (const deployment of scenario.world.codeDeployments) world.codedeploy.declare(deployment);
  return world;
}

function applyStep(world: World, step: Step, delivered: AwsEvent[]): void {
  world.caller = 'scenario';
  if ('commit' in step) {
    const c = step.commit;
    const pipeline = world.pipeline(c.pipeline ?? [...world.pipelines.keys()][0]);
    const e = pipeline.start(c.id, c.message, { failIn: c.failIn });
    world.note(`commit ${c.id} starts execution ${e.id} of ${pipeline.spec.name}`);
  } else if ('alarm' in step) {
    world.note(`alarm ${step.alarm.name} → ${step.alarm.state}`);
    world.alarms.set(step.alarm.name, step.alarm.state, step.alarm.reason);
  } else if ('transition' in step) {
    const t = step.transition;
    world.caller = t.by;
    world
      .pipeline(t.pipeline ?? [...world.pipelines.keys()][0])
      .setTransition(t.stage, t.enabled, t.reason, t.by);
  } else if ('console' in step) {
    const c = step.console;
    const pipeline = world.pipeline(c.pipeline ?? [...world.pipelines.keys()][0]);
    const action = (c.approve ?? c.reject)!;
    const answered = pipeline.answerInConsole(action, c.approve ? 'Approved' : 'Rejected', c.by, c.summary);
    world.note(
      answered
        ? `${c.by} ${c.approve ? 'approves' : 'rejects'} ${action} of ${pipeline.spec.name} in the console`
        : `${c.by} finds no waiting ${action} approval of ${pipeline.spec.name} to answer`,
    );
  } else if ('pipelineVersion' in step) {
    const pipeline = world.pipeline(step.pipelineVersion.pipeline ?? [...world.pipelines.keys()][0]);
    pipeline.spec.version = step.pipelineVersion.version;
    world.note(`${pipeline.spec.name} is edited: pipeline structure version ${step.pipelineVersion.version}`);
  } else if ('event' in step) {
    world.inbox.push({ bus: 'default', event: step.event as AwsEvent });
  } else if ('redeliver' in step) {
    const last = [...delivered].reverse().find((e) => matchesPattern(step.redeliver, e));
    if (!last) throw new Error(`redeliver: no delivered event matches ${JSON.stringify(step.redeliver)}`);
    world.note(`EventBridge delivers ${last['detail-type']} ${last.id.slice(0, 8)} again (duplicate)`);
    // An AWS service event of the guard's account is on its default bus; a forwarded one, and the guard's own, on its bus.
    world.inbox.push({
      bus: last.source.startsWith('aws.') && last.account === ACCOUNT ? 'default' : 'guard',
      event: last,
    });
  } else if ('delay' in step) {
    const { pattern, minutes } = step.delay;
    world.delays.push({ match: (e) => matchesPattern(pattern, e), ms: minutes * 60_000 });
    world.note(
      `from now on EventBridge delivers events matching ${JSON.stringify(pattern)} ${minutes} min late`,
    );
  } else if ('contributor' in step) {
    const c = step.contributor;
    const alarm = world.alarms.alarms.get(c.alarm);
    if (!alarm) throw new Error(`scenario names unknown alarm ${c.alarm}`);
    world.note(`alarm ${c.alarm} contributor ${c.id} → ${c.state}`);
    emitContributorChange(world, alarm, c);
  } else if ('lose' in step) {
    const pattern = step.lose;
    world.lose.push((e) => matchesPattern(pattern, e));
    world.note(`from now on EventBridge loses events matching ${JSON.stringify(pattern)}`);
  } else if ('failPutEvents' in step) {
    const pattern = step.failPutEvents;
    world.failPutEvents.push((entry) => matchesPattern(pattern, entry));
    world.note(`EventBridge will reject the next PutEvents entry matching ${JSON.stringify(pattern)}`);
  } else if ('fault' in step) {
    world.faults.push(armFault(step.fault));
    world.note(`fault armed: ${describeFault(step.fault)}`);
  } else if ('slack' in step) {
    world.slackAnswer = step.slack;
    world.note(`from now on Slack's webhook answers HTTP ${step.slack.status}`);
  }
}

/** A person's command, signed with their IAM identity, to the command function's URL; the answer is recorded. */
async function personCommand(
  world: World,
  p: Extract<Step, { person: unknown }>['person'],
  functions: Record<string, GuardFunction>,
  config: GuardConfig,
): Promise<void> {
  const callerArn = p.by.startsWith('arn:') ? p.by : `arn:aws:iam::${ACCOUNT}:user/${p.by}`;
  const body = {
    command: p.command,
    ...(p.command === 'status' && !p.pipeline ? {} : { pipeline: p.pipeline ?? config.pipelines[0]!.name }),
    ...(p.reason ? { reason: p.reason } : {}),
    ...(p.untilMinutes
      ? { until: new Date(world.clock.nowMs() + p.untilMinutes * 60_000).toISOString() }
      : {}),
    ...(p.execution ? { execution: p.execution } : {}),
    ...(p.despiteAlarm !== undefined ? { despiteAlarm: p.despiteAlarm } : {}),
    ...(p.since ? { since: p.since } : {}),
  };
  world.note(`${callerArn}: ${p.command} ${JSON.stringify(body)}`);
  const answer = await invokeUrl(world, 'command', functions.command!, { callerArn, body });
  const parsed = JSON.parse(answer?.body ?? '{}') as { message?: string };
  world.answers.push({
    at: world.at(),
    command: p.command,
    by: callerArn,
    status: answer?.statusCode ?? 0,
    message: parsed.message ?? '',
  });
  world.note(`the guard answers ${callerArn}: HTTP ${answer?.statusCode} ${parsed.message ?? ''}`);
}

/**
 * A person presses a button on the latest Slack message that offers it (`action`), or gives the slash command
 * (`text`): the request is built and signed the way Slack signs it and goes to the Slack endpoint's function URL,
 * through the same verification as in AWS; `forged`: signed with another secret. The endpoint's answer is recorded.
 */
async function slackClick(
  world: World,
  click: Extract<Step, { slackClick: unknown }>['slackClick'],
  functions: Record<string, GuardFunction>,
  config: GuardConfig,
): Promise<void> {
  const slack = config.slack;
  const endpoint = functions.slackControls;
  const what = click.text !== undefined ? `/release-guard ${click.text}` : `${click.action} button`;
  const record = (status: number, message: string) => {
    world.answers.push({ at: world.at(), command: click.action ?? 'slash', by: click.by, status, message });
    world.note(`the Slack endpoint answers ${click.by}: HTTP ${status} ${message}`);
  };
  if (!slack || !endpoint) return record(0, 'Slack controls are not configured (config slack)');
  const responseUrl = `https://hooks.slack.com/actions/${slack.teamId}/${world.ids()}/simulated`;
  const who = {
    teamId: slack.teamId,
    channelId: click.channel ?? slack.channelId,
    userId: click.by,
    userName: click.name,
  };
  let body: string;
  if (click.text !== undefined) {
    body = slashBody({ ...who, text: click.text, responseUrl, triggerId: world.ids() });
  } else {
    const offered = latestButton(world, `${ACTION_PREFIX}${click.action}`, click.pipeline);
    if (!offered) return record(0, `no Slack message offers a ${click.action} button`);
    body = buttonBody({
      ...who,
      command: click.action!,
      value: offered.value,
      messageTs: offered.ts,
      messageBlocks: offered.blocks,
      responseUrl,
    });
  }
  world.note(`${click.by} ${click.text !== undefined ? 'types' : 'presses'} ${what} in Slack`);
  const secret = click.forged ? 'not-the-apps-signing-secret-00000' : SIM_SIGNING_SECRET;
  const headers = signedHeaders(secret, body, Math.floor(world.clock.nowMs() / 1000));
  const answer = await invokeUrlEvent(world, 'slackControls', endpoint, functionUrlEvent({ headers, body }));
  const parsed = JSON.parse(answer?.body || '{}') as { text?: string; error?: string };
  record(answer?.statusCode ?? 0, parsed.text ?? parsed.error ?? '');
}

/** The newest Slack message with this button (of this pipeline): its value, its ts (its id) and its blocks. */
function latestButton(world: World, actionId: string, pipeline: string | undefined) {
  for (let i = world.timeline.length - 1; i >= 0; i -= 1) {
    const t = world.timeline[i]!;
    if (t.kind !== 'slack') continue;
    for (const block of t.blocks) {
      const elements = (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? [];
      const button = elements.find((e) => e.action_id === actionId);
      if (!button?.value) continue;
      const value = JSON.parse(button.value) as ButtonValue;
      if (pipeline && value.p !== pipeline) continue;
      // A message's ts is its id in the channel: stable, so two presses on one message share it.
      const ts = `${Math.floor(world.start.getTime() / 1000)}.${String(i).padStart(6, '0')}`;
      return { value, ts, blocks: t.blocks };
    }
  }
  return undefined;
}

function describeFault(f: Extract<Step, { fault: unknown }>['fault']): string {
  const which = f.nth > 1 ? `from the ${f.nth}th matching call, ` : '';
  const times = f.times === 'always' ? 'every call' : `${f.times} call(s)`;
  return `${f.call}${f.function ? ` by ${f.function}` : ''}: ${which}${times} → ${f.error}`;
}

/** Outside AWS too, a dead Lambda's code does nothing more. */
function whileAlive<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => (currentInvocation()?.dead ? never() : fn(...args));
}

function captureLogger(world: World): GuardLogger {
  const log =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      if (currentInvocation()?.dead) return;
      const attrs = Object.assign({}, ...rest.filter((r) => typeof r === 'object')) as Record<
        string,
        unknown
      >;
      if (attrs.decision && typeof attrs.decision === 'object') {
        world.record({
          at: world.at(),
          kind: 'decision',
          reaction: world.caller,
          decision: attrs.decision as Record<string, unknown>,
        });
      } else if (level === 'warn' || level === 'error') {
        world.note(`${world.caller} ${level}: ${String(message)} ${JSON.stringify(attrs)}`);
      }
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setCorrelationId: () => undefined,
  } as unknown as GuardLogger;
}
