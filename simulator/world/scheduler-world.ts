import { ConflictException, ResourceNotFoundException, type Target } from '@aws-sdk/client-scheduler';
import type { World } from './world';

type Schedule = { name: string; group: string; at: number; target: Target; createdAt: Date };
const meta = { $metadata: {} };

/** One-time schedules that fire when the virtual clock passes them, then delete themselves. */
export class SchedulesModel {
  readonly schedules = new Map<string, Schedule>();

  constructor(private readonly world: World) {}

  create(
    name: string,
    group: string,
    expression: string,
    timezone: string | undefined,
    target: Target,
  ): void {
    const key = `${group}/${name}`;
    if (this.schedules.has(key))
      throw new ConflictException({
        message: `Schedule ${key} already exists`,
        Message: `Schedule ${key} already exists`,
        ...meta,
      });
    const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
    if (!match || (timezone ?? 'UTC') !== 'UTC')
      throw new Error(`simulator supports only at(...) in UTC: ${expression}`);
    const at = Date.parse(`${match[1]}Z`);
    this.schedules.set(key, { name, group, at, target, createdAt: this.world.clock.now() });
    this.world.clock.schedule(at, () => this.fire(key));
  }

  delete(name: string, group: string): void {
    if (!this.schedules.delete(`${group}/${name}`)) {
      throw new ResourceNotFoundException({
        message: `Schedule ${group}/${name} not found`,
        Message: `Schedule ${group}/${name} not found`,
        ...meta,
      });
    }
  }

  /** ListSchedules: pending schedules of a group whose name starts with `prefix`. */
  list(group: string, prefix = ''): Schedule[] {
    return [...this.schedules.values()].filter((s) => s.group === group && s.name.startsWith(prefix));
  }

  private fire(key: string): void {
    const schedule = this.schedules.get(key);
    if (!schedule || this.world.clock.nowMs() < schedule.at) return;
    this.schedules.delete(key);
    const params = schedule.target.EventBridgeParameters;
    if (!params) throw new Error(`simulator supports only EventBridge targets (schedule ${key})`);
    this.world.note(`schedule ${schedule.name} fired`);
    this.world.putOnBus(schedule.target.Arn ?? '', {
      Source: params.Source,
      DetailType: params.DetailType,
      Detail: schedule.target.Input ?? '{}',
    });
  }
}
