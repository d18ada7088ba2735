import type { GuardConfig } from '../config/schema';
import { SCHEDULED_EVENT, SCHEDULED_EVENT_SOURCE } from '../events/aws/scheduled-event';
import { functionSchedules } from '../events/rules';
import { ACCOUNT, awsEvent, REGION } from './world/aws-event';
import type { World } from './world/world';

type Route = { name: string; rule: { bus: string; pattern: Record<string, unknown> } };

/**
 * The EventBridge schedule rules of functionSchedules(config): every `everyMinutes` until `end`, each rule puts a
 * `Scheduled Event` naming itself in `resources`, routed to its function only (added to `routes`). `only` limits
 * the schedules to the functions it names.
 */
export function scheduledTicks(
  world: World,
  config: GuardConfig,
  end: number,
  routes: Route[],
  only?: readonly string[],
): void {
  for (const [name, { everyMinutes }] of Object.entries(functionSchedules(config))) {
    if (only && !only.includes(name)) continue;
    const rule = `arn:aws:events:${REGION}:${ACCOUNT}:rule/leadout-release-guard-sim-${name}-schedule`;
    routes.push({
      name,
      rule: {
        bus: 'default',
        pattern: { source: [SCHEDULED_EVENT_SOURCE], 'detail-type': [SCHEDULED_EVENT], resources: [rule] },
      },
    });
    const step = everyMinutes * 60_000;
    // One pending tick at a time: the next is scheduled when this one fires.
    const tick = (at: number) => {
      if (at > end) return;
      world.clock.schedule(at, () => {
        world.inbox.push({
          bus: 'default',
          event: awsEvent(world.ids(), world.clock.now(), SCHEDULED_EVENT_SOURCE, SCHEDULED_EVENT, {}, [
            rule,
          ]),
        });
        tick(at + step);
      });
    };
    tick(world.start.getTime() + step);
  }
}
