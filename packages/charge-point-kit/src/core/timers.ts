/**
 * The timers the kit arms (heartbeat, retries, meter sampling, ...). Injected with the clock, so
 * tests can drive time by hand; the default is the global timers.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One re-armable timer: arming it again replaces the previous deadline. */
export class Timer {
  readonly #timers: Timers;
  #handle: unknown;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  get armed(): boolean {
    return this.#handle !== undefined;
  }

  arm(ms: number, callback: () => void): void {
    this.cancel();
    this.#handle = this.#timers.setTimeout(
      () => {
        this.#handle = undefined;
        callback();
      },
      Math.max(0, ms),
    );
  }

  cancel(): void {
    if (this.#handle === undefined) return;
    this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
