import { DeleteScheduleCommand, ListSchedulesCommand } from './scheduler-client';
import type { SchedulerSender } from './scheduler';

export type PendingTimer = { name: string; createdAt?: Date };

const MAX_PAGES = 5;

/** Lists and deletes the pending one-time bake schedules of the guard's schedule group. */
export function makeBakeTimerSweeper(client: SchedulerSender, scheduleGroup: string) {
  return {
    /** At most 5 pages (500 schedules): the rest waits for the next sweep. */
    async pendingTimers(namePrefix: string): Promise<PendingTimer[]> {
      const timers: PendingTimer[] = [];
      let NextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await client.send(
          new ListSchedulesCommand({
            GroupName: scheduleGroup,
            NamePrefix: namePrefix,
            MaxResults: 100,
            NextToken,
          }),
        );
        for (const s of out.Schedules ?? []) {
          if (s.Name) timers.push({ name: s.Name, createdAt: s.CreationDate });
        }
        NextToken = out.NextToken;
        if (!NextToken) break;
      }
      return timers;
    },

    /** A timer that already fired (and deleted itself) or was swept by another run is `gone`. */
    async deleteTimer(name: string): Promise<'deleted' | 'gone'> {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: scheduleGroup }));
        return 'deleted';
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return 'gone';
        throw error;
      }
    },
  };
}

export type BakeTimerSweeper = ReturnType<typeof makeBakeTimerSweeper>;
