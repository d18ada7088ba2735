/** Virtual time and the world's own pending happenings (stage completions, schedules, approval tokens). */
export class VirtualClock {
  #now: number;
  #seq = 0;
  #pending: { at: number; seq: number; run: () => void }[] = [];

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  nowMs(): number {
    return this.#now;
  }

  /** Runs `run` when the clock reaches `at`; happenings at the same time keep their order. */
  schedule(at: number, run: () => void): void {
    this.#pending.push({ at: Math.max(at, this.#now), seq: this.#seq++, run });
    this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** The next happening due at or before `until`, with the clock moved to it; undefined when none is due. */
  takeDue(until: number): (() => void) | undefined {
    const next = this.#pending[0];
    if (!next || next.at > until) return undefined;
    this.#pending.shift();
    this.#now = next.at;
    return next.run;
  }

  advanceTo(at: number): void {
    this.#now = Math.max(this.#now, at);
  }
}

export function formatAt(start: Date, at: Date): string {
  const minutes = (at.getTime() - start.getTime()) / 60_000;
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = Math.floor(abs % 60);
  const s = Math.round((abs * 60) % 60);
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}${s ? `:${String(s).padStart(2, '0')}` : ''}`;
}
