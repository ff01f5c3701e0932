import { type HandshakeFailureDetails, handshakeSecurityEvent, RpcError } from '@ocpp-kit/rpc-core';
import {
  type SecurityEventType,
  SecurityLog,
  type SecurityLogEntry,
  toSecurityEventNotification,
} from '@ocpp-kit/security';
import { ChargePointKitError } from '../errors.js';
import { securityLogTable } from '../storage/security-log-table.js';
import type { KitCore } from './kit-core.js';
import { answered } from './status-reports.js';

/** A clock moved by less than this is a correction, not a SettingSystemTime event. */
const systemTimeThresholdMs = 1_000;

/**
 * The security events of whitepaper section 8: every one is kept in the security log (A04.FR.04,
 * in the kit's database, rolling); critical ones are queued durably and sent with
 * SecurityEventNotification until the CSMS confirms them, across reconnects and power loss
 * (A04.FR.01-03). A non-critical one is sent too, once, when accepted (its last occurrence per
 * type waits in memory while offline, so a flood cannot grow a queue).
 */
export class SecurityEvents {
  readonly #core: KitCore;
  #log: SecurityLog | undefined;
  readonly #nonCritical = new Map<string, SecurityLogEntry>();
  #flushing = false;
  #again = false;

  constructor(core: KitCore) {
    this.#core = core;
    core.events.on('accepted', () => this.#flush());
    core.events.on('connectFailed', ({ error }) => {
      const event = connectFailureEvent(error);
      if (event !== undefined) this.note(event.type, event.techInfo);
    });
  }

  /** The security log (GetLog SecurityLog, N01); open once the charge point started. */
  get log(): SecurityLog {
    if (this.#log === undefined)
      throw new ChargePointKitError('CLOSED', 'The security log opens with start()');
    return this.#log;
  }

  async open(): Promise<void> {
    if (this.#log !== undefined) return;
    const { store, station, logger } = this.#core;
    this.#log = await SecurityLog.open({
      storage: securityLogTable(store, station),
      clock: () => this.#core.now(),
    });
    for (const problem of this.#log.problems)
      logger.warn('securityLog.repaired', { line: problem.line, message: problem.message });
  }

  /** Records an event (durably) and sends what is due. */
  async record(type: SecurityEventType | (string & {}), techInfo?: string): Promise<void> {
    const entry = await this.log.record(type, techInfo === undefined ? {} : { techInfo });
    this.#core.logger.info('security.event', { type, critical: entry.critical });
    if (!entry.critical) this.#nonCritical.set(entry.type, entry);
    this.#flush();
  }

  /** Records without waiting; a failure to store is reported as an `error` event. */
  note(type: SecurityEventType, techInfo?: string): void {
    if (this.#log === undefined) return;
    this.record(type, techInfo).catch((error: unknown) =>
      this.#core.events.emit('error', { error: error as Error }),
    );
  }

  /** The CSMS's time moved the clock (§4.2): SettingSystemTime when by a second or more. */
  clockMoved(byMs: number): void {
    if (Math.abs(byMs) >= systemTimeThresholdMs)
      this.note('SettingSystemTime', `clock moved by ${Math.round(byMs / 1000)} s`);
  }

  /** Sends the queue in order, one at a time, while accepted. */
  #flush(): void {
    if (this.#flushing) {
      this.#again = true;
      return;
    }
    if (this.#log === undefined || !this.#core.accepted) return;
    this.#flushing = true;
    this.#send()
      .catch((error: unknown) =>
        this.#core.logger.debug('security.sendFailed', { error: String(error) }),
      )
      .finally(() => {
        this.#flushing = false;
        if (this.#again) {
          this.#again = false;
          this.#flush();
        }
      });
  }

  async #send(): Promise<void> {
    const log = this.log;
    for (;;) {
      if (!this.#core.accepted) return;
      const next = log.undelivered()[0] ?? this.#nonCritical.values().next().value;
      if (next === undefined) return;
      try {
        await this.#core.call('SecurityEventNotification', toSecurityEventNotification(next));
      } catch (error) {
        // A CALLERROR is an answer; offline or unanswered, the entry waits for the next accept.
        if (!answered(error)) return;
      }
      if (next.critical) await log.markDelivered(next.seq);
      else if (this.#nonCritical.get(next.type) === next) this.#nonCritical.delete(next.type);
    }
  }
}

/** The section 8 event a failed connect stands for (A00.FR.309/315/322), if any. */
export function connectFailureEvent(
  error: unknown,
): { readonly type: SecurityEventType; readonly techInfo: string } | undefined {
  if (!(error instanceof RpcError)) return undefined;
  if (error.code === 'AuthenticationFailed')
    return { type: 'FailedToAuthenticationAtCentralSystem', techInfo: error.message.slice(0, 255) };
  // rpc-core names the event of a failed TLS handshake, and Node's error code in `details`.
  const type = handshakeSecurityEvent(error);
  if (type === undefined) return undefined;
  const { tlsError } = error.details as HandshakeFailureDetails;
  return { type, techInfo: String(tlsError).slice(0, 255) };
}
