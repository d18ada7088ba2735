import type { Step } from '../scenario';
import type { HistoryAlarm } from './history';

type AlarmChange = { at: Date; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; reason?: string };
type StateData = {
  newState?: { stateValue?: string; stateReason?: string };
  oldState?: { stateValue?: string };
};

export function alarmChanges(alarm: HistoryAlarm): AlarmChange[] {
  return alarm.history
    .filter((h) => h.HistoryItemType === 'StateUpdate')
    .flatMap((h) => {
      const data = stateData(h.HistoryData);
      const state = asState(data?.newState?.stateValue);
      if (!state) return [];
      return [
        {
          at: new Date(h.Timestamp),
          state,
          ...(data?.newState?.stateReason ? { reason: data.newState.stateReason } : {}),
        },
      ];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The state before the first recorded change; with none, the state it was exported in. */
export function initialState(alarm: HistoryAlarm): 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' {
  const first = [...alarm.history]
    .filter((h) => h.HistoryItemType === 'StateUpdate')
    .sort((a, b) => Date.parse(a.Timestamp) - Date.parse(b.Timestamp))[0];
  return asState(stateData(first?.HistoryData)?.oldState?.stateValue) ?? alarm.stateValue;
}

function stateData(text: string | undefined): StateData | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as StateData;
  } catch {
    return undefined;
  }
}

function asState(value: string | undefined): AlarmChange['state'] | undefined {
  return value === 'OK' || value === 'ALARM' || value === 'INSUFFICIENT_DATA' ? value : undefined;
}

/** Each recorded state change of an alarm as a scenario step, at its minute after the replay's start. */
export function alarmSteps(alarm: HistoryAlarm, at: (d: Date) => number): { at: number; step: Step }[] {
  return alarmChanges(alarm).map((change) => ({
    at: at(change.at),
    step: {
      at: 0,
      alarm: { name: alarm.name, state: change.state, ...(change.reason ? { reason: change.reason } : {}) },
    },
  }));
}
