// `@ocpp-kit/security/testing`: throw-away PKIs for tests of security profiles 2 and 3 and of
// signed firmware. Not in the main entry: production code has no use for a test CA.
export type { TestLeaf, TestPki, TestPkiOptions } from './test-pki.js';
export { createTestPki } from './test-pki.js';
