import type { Timers } from '../core/timers.js';

/** Timers and a clock driven by `advance(ms)`, for behaviour tests that need no waiting. */
export class ManualTimers implements Timers {
  now = Date.UTC(2026, 0, 1);
  readonly #due = new Map<number, { at: number; callback: () => void }>();
  #next = 0;

  readonly clock = (): number => this.now;

  setTimeout(callback: () => void, ms: number): unknown {
    this.#next += 1;
    this.#due.set(this.#next, { at: this.now + ms, callback });
    return this.#next;
  }

  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }

  /** Timers armed and not yet run, as delays from now. */
  get pending(): number[] {
    return [...this.#due.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }

  /** Moves time forward, running each timer due on the way in deadline order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let first: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#due)
        if (entry[1].at <= end && (first === undefined || entry[1].at < first[1].at)) first = entry;
      if (first === undefined) break;
      this.#due.delete(first[0]);
      this.now = first[1].at;
      first[1].callback();
    }
    this.now = end;
  }
}
