import type { ValidationFailure } from '@ocpp-kit/messages';
import { expectTypeOf, test } from 'vitest';

test('types resolve from source', () => {
  expectTypeOf<ValidationFailure['instancePath']>().toEqualTypeOf<string>();
});
