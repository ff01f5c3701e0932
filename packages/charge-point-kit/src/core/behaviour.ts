/**
 * One behaviour of the charge point (boot, heartbeat, configuration, ...): built from the core,
 * registering its own handlers and listeners, never importing another behaviour.
 */
export interface Behaviour {
  readonly name: string;
  /** Cancels the behaviour's timers; the charge point is stopping. */
  stop?(): void;
}
