import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source through the `@ocpp-kit/source` export condition.
const conditions = ['@ocpp-kit/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    include: [
      'packages/*/src/**/*.test.ts',
      'codegen/src/**/*.test.ts',
      'tests/src/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
    ],
    typecheck: {
      enabled: true,
      tsconfig: './tsconfig.json',
      include: ['packages/*/src/**/*.test-d.ts', 'tests/src/**/*.test-d.ts'],
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
