// §4.2: a charge point that is not Accepted "SHALL NOT send request messages ... unless it has
// been instructed by the Central System to do so with a TriggerMessage.req". These are the
// instructions in force, so that the triggered message is answered and not refused.
import type { ExtendedMessageTrigger, MessageTrigger } from '@ocpp-kit/messages';

/** The CALLs each trigger asks for (§5.17; whitepaper ExtendedTriggerMessage, A02/L01/N01). */
const triggered: Readonly<Record<MessageTrigger | ExtendedMessageTrigger, readonly string[]>> = {
  BootNotification: ['BootNotification'],
  DiagnosticsStatusNotification: ['DiagnosticsStatusNotification'],
  FirmwareStatusNotification: ['FirmwareStatusNotification', 'SignedFirmwareStatusNotification'],
  Heartbeat: ['Heartbeat'],
  MeterValues: ['MeterValues'],
  StatusNotification: ['StatusNotification'],
  LogStatusNotification: ['LogStatusNotification'],
  SignChargePointCertificate: ['SignCertificate'],
};

/** An allowance opened before the trigger was sent; `settle(false)` withdraws it. */
export interface PendingTrigger {
  settle(accepted: boolean): void;
}

export class TriggerAllowances {
  readonly #windowMs: number;
  /** Action -> epoch ms until which it may be sent. */
  readonly #until = new Map<string, number>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /**
   * Opens the allowance before the trigger is sent: the charge point sends the triggered message
   * right after its TriggerMessage.conf (§5.17), possibly in the same TCP segment, before the
   * caller's continuation runs.
   */
  expect(action: string, payload: unknown, now = Date.now()): PendingTrigger | undefined {
    if (action !== 'TriggerMessage' && action !== 'ExtendedTriggerMessage') return undefined;
    const requested = (payload as { requestedMessage?: unknown }).requestedMessage;
    const actions =
      typeof requested === 'string' ? triggered[requested as MessageTrigger] : undefined;
    if (actions === undefined) return undefined;
    const previous = actions.map((a) => this.#until.get(a));
    for (const a of actions) this.#until.set(a, now + this.#windowMs);
    return {
      settle: (accepted) => {
        if (accepted) return;
        actions.forEach((a, i) => {
          const before = previous[i];
          if (before === undefined) this.#until.delete(a);
          else this.#until.set(a, before);
        });
      },
    };
  }

  /** True while a trigger for `action` is in force. */
  allows(action: string, now = Date.now()): boolean {
    const until = this.#until.get(action);
    if (until === undefined) return false;
    if (until >= now) return true;
    this.#until.delete(action);
    return false;
  }
}
