import type { TlsSecurityEvent } from '@ocpp-kit/rpc-core';
import type { SecurityEventType } from '@ocpp-kit/security';
import { expectTypeOf, test } from 'vitest';

test('whitepaper §8: TlsSecurityEvent is assignable to the security catalogue SecurityEventType', () => {
  expectTypeOf<TlsSecurityEvent>().toExtend<SecurityEventType>();
  // Not a widened string: the rpc-core type names §8 events only.
  expectTypeOf<string>().not.toExtend<TlsSecurityEvent>();
});
