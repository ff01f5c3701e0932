// The public API of @ocpp-kit/messages: the generated modules, each public as a whole (the raw ajv
// modules stay private: `validators.ts` wraps them), re-exported whole so that a regeneration that
// adds actions or named types needs no edit here; plus the hand-written protocol contract.

// The format checks the generated validators call; also the run time of packages generated
// with `ocpp-codegen --runtime @ocpp-kit/messages`.
export { isDateTime, isUri } from './formats.js';
export * from './generated/actions.js';
export * from './generated/descriptor.js';
export * from './generated/enum-values.js';
export type * from './generated/types.js';
export * from './generated/validators.js';
export type {
  ActionDescriptor,
  ActionSignature,
  ActionTable,
  Direction,
  HandledTableOf,
  OtherSide,
  ProtocolDescriptor,
  SentTableOf,
  Side,
  ValidationFailure,
  ValidationKeyword,
  Validator,
} from './protocol.js';
export { validationKeywords } from './protocol.js';
