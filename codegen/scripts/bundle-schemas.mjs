// Part of `build`: the published package carries the vendored OCA schemas, the action manifest and
// the type names, so `ocpp-codegen --out DIR` regenerates OCPP 1.6 + security with no input.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../schemas/', import.meta.url));
const target = fileURLToPath(new URL('../schemas/', import.meta.url));
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
