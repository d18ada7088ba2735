/** More alarms or history than the guard reads: deciding on part of it could miss an ALARM, so it does not. */
export class IncompleteAlarmReadError extends Error {
  override name = 'IncompleteAlarmReadError';
}
