import { validationKeywords } from '@ocpp-kit/messages';
import { expect, test } from 'vitest';

test('workspace packages resolve from source', () => {
  expect(validationKeywords).toContain('required');
});
