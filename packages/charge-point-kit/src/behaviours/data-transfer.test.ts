import { describe, expect, test } from 'vitest';
import { acceptedChargePoint } from '../test-helpers/accepted.js';

describe('DataTransfer (§4.3, §5.6)', () => {
  test('§5.6: the handler of the vendorId answers; another vendorId gets UnknownVendorId', async () => {
    const { connection } = await acceptedChargePoint({
      dataTransfer: {
        'com.example': ({ messageId, data }) =>
          messageId === 'echo'
            ? { status: 'Accepted', data: data ?? '' }
            : { status: 'UnknownMessageId' },
      },
    });
    await expect(
      connection.call('DataTransfer', { vendorId: 'com.example', messageId: 'echo', data: 'hi' }),
    ).resolves.toEqual({ status: 'Accepted', data: 'hi' });
    await expect(
      connection.call('DataTransfer', { vendorId: 'com.example', messageId: 'other' }),
    ).resolves.toEqual({ status: 'UnknownMessageId' });
    await expect(connection.call('DataTransfer', { vendorId: 'org.other' })).resolves.toEqual({
      status: 'UnknownVendorId',
    });
  });

  test('§4.3: the charge point sends DataTransfer and gets the typed answer', async () => {
    const { csms, chargePoint } = await acceptedChargePoint();
    csms.answers.DataTransfer = ({ data }) => ({ status: 'Accepted', data: `got ${data ?? ''}` });
    await expect(chargePoint.dataTransfer({ vendorId: 'com.example', data: 'x' })).resolves.toEqual(
      { status: 'Accepted', data: 'got x' },
    );
  });
});
