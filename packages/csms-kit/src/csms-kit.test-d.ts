import type {
  ChargePointStatus,
  RemoteStartTransactionResponse,
  ResetResponse,
} from '@ocpp-kit/messages';
import { describe, expectTypeOf, test } from 'vitest';
import type { CentralSystem } from './central-system.js';
import type { CallFailureReason, CallOutcome } from './commands/call-outcome.js';
import type { ChargePointSession } from './core/session.js';

declare const csms: CentralSystem<{ seen: number }>;
declare const session: ChargePointSession<{ seen: number }>;

describe('csms-kit types flow from the action maps', () => {
  test('session.call takes only CSMS-initiated actions and their payloads, and resolves to the response', () => {
    expectTypeOf(session.call('Reset', { type: 'Soft' })).resolves.toEqualTypeOf<ResetResponse>();
    expectTypeOf(
      session.call('RemoteStartTransaction', { idTag: 'A' }),
    ).resolves.toEqualTypeOf<RemoteStartTransactionResponse>();
    // @ts-expect-error a charge point sends BootNotification; the CSMS never does
    void session.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    // @ts-expect-error 'Sometime' is no ResetType
    void session.call('Reset', { type: 'Sometime' });
    // @ts-expect-error idTag is required
    void session.call('RemoteStartTransaction', {});
  });

  test('handlers get the request type, the app state and must return the response type', () => {
    csms.handle('StatusNotification', (request, { session: s }) => {
      expectTypeOf(request.status).toEqualTypeOf<ChargePointStatus>();
      expectTypeOf(s.state.seen).toEqualTypeOf<number>();
      return {};
    });
    // @ts-expect-error Authorize.conf needs idTagInfo
    csms.handle('Authorize', () => ({}));
    // @ts-expect-error the CSMS never receives Reset
    csms.handle('Reset', () => ({ status: 'Accepted' }));
  });

  test('fan-out outcomes narrow on status: response, CALLERROR code, or failure reason', async () => {
    const [outcome] = await csms.callMany(['A'], 'Reset', { type: 'Hard' });
    expectTypeOf(outcome).toEqualTypeOf<CallOutcome<'Reset'> | undefined>();
    if (outcome?.status === 'Answered')
      expectTypeOf(outcome.response).toEqualTypeOf<ResetResponse>();
    if (outcome?.status === 'Failed')
      expectTypeOf(outcome.reason).toEqualTypeOf<CallFailureReason>();
    // @ts-expect-error the payload is checked against the action
    void csms.callMany(['A'], 'Reset', { type: 'Never' });
  });

  test('events carry typed payloads', () => {
    csms.on('request', (event) => {
      if (event.action === 'StartTransaction') {
        expectTypeOf(event.response.transactionId).toEqualTypeOf<number>();
        expectTypeOf(event.request.meterStart).toEqualTypeOf<number>();
      }
    });
  });
});
