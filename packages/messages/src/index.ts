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
