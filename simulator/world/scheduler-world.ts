import {
  ConflictException,
  ResourceNotFoundException,
  ValidationException,
  type ActionAfterCompletion,
  type CreateScheduleInput,
  type ListSchedulesInput,
  type ScheduleSummary,
  type Target,
} from '@aws-sdk/client-scheduler';
import { ACCOUNT, REGION } from './aws-event';
import { page, type PageSizes } from './paging';
import type { World } from './world';

type Schedule = {
  name: string;
  group: string;
  at: number;
  target: Target;
  createdAt: Date;
  modifiedAt: Date;
  afterCompletion: ActionAfterCompletion;
};
const meta = { $metadata: {} };

/**
 * One-time schedules that fire when the virtual clock passes them; only those created with
 * `ActionAfterCompletion: DELETE` delete themselves (NONE, the default, keeps the schedule after it ran).
 */
export class SchedulesModel {
  readonly schedules = new Map<string, Schedule>();
  /** The scenario's smaller pages (`world.pageSizes`). */
  pageSizes: PageSizes = {};

  constructor(private readonly world: World) {}

  create(
    name: string,
    group: string,
    expression: string,
    timezone: string | undefined,
    target: Target,
    afterCompletion: CreateScheduleInput['ActionAfterCompletion'] = 'NONE',
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
    const now = this.world.clock.now();
    this.schedules.set(key, { name, group, at, target, createdAt: now, modifiedAt: now, afterCompletion });
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

  /** ListSchedules: the schedules of a group whose name starts with `prefix`, by name, paged. */
  list(i: ListSchedulesInput): { Schedules: ScheduleSummary[]; NextToken?: string } {
    const group = i.GroupName ?? 'default';
    const picked = [...this.schedules.values()]
      .filter((s) => s.group === group && s.name.startsWith(i.NamePrefix ?? ''))
      .filter(() => i.State !== 'DISABLED') // the world's schedules are all ENABLED
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const invalid = (token: string) =>
      new ValidationException({
        message: `Invalid NextToken ${token}`,
        Message: 'Invalid NextToken',
        ...meta,
      });
    const { items, next } = page(picked, 'ListSchedules', i.MaxResults, i.NextToken, this.pageSizes, invalid);
    return {
      Schedules: items.map((s) => ({
        Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${s.group}/${s.name}`,
        Name: s.name,
        GroupName: s.group,
        State: 'ENABLED',
        CreationDate: s.createdAt,
        LastModificationDate: s.modifiedAt,
        Target: { Arn: s.target.Arn },
      })),
      NextToken: next,
    };
  }

  private fire(key: string): void {
    const schedule = this.schedules.get(key);
    if (!schedule || this.world.clock.nowMs() < schedule.at) return;
    if (schedule.afterCompletion === 'DELETE') this.schedules.delete(key);
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
