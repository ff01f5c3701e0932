// Programmatic API of ocpp-codegen; the CLI (`cli.ts`) is a thin wrapper around it.
export type { SchemaQuirk } from './ajv-schema.js';
export { CodegenError, type CodegenErrorCode, codegenErrorCodes } from './errors.js';
export { type GeneratedFiles, type GenerateOptions, generate } from './generate.js';
export {
  directions,
  loadManifest,
  type Manifest,
  type ManifestAction,
  type ManifestDirection,
} from './manifest.js';
export {
  compareOutput,
  type Drift,
  describeDrift,
  isUpToDate,
  type StaleFile,
  writeOutput,
} from './output.js';
