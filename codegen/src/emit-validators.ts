import { Ajv, type Options } from 'ajv';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { Project, QuoteKind } from 'ts-morph';
import { repairForAjv, type SchemaQuirk } from './ajv-schema.js';
import { CodegenError } from './errors.js';
import { isRecord } from './json-file.js';

/**
 * The function a CommonJS module exports as `exports.default`. Node's ESM loader hands such a
 * module over as `{ default: module.exports }`, other loaders (vitest, bundlers) may hand over
 * `module.exports.default` itself; this accepts both, so `generate()` runs under either.
 */
function cjsDefault<T>(module: T | { readonly default: T }): T {
  return typeof module === 'object' && module !== null && 'default' in module
    ? module.default
    : (module as T);
}

const draft04 = 'http://json-schema.org/draft-04/schema#';
const draft06 = 'http://json-schema.org/draft-06/schema#';

/**
 * Ajv options shared by every validator:
 * - `allErrors: false`: stop at the first failure, so an invalid payload costs one failure
 *   object, which is all an OCPP-J CALLERROR can carry (OCPP-J 1.6 §4.2.3);
 * - `multipleOfPrecision: 9`: `multipleOf: 0.1` tolerates binary floating point (8.7 / 0.1
 *   is 86.99999999999999), accepting a remainder below 1e-9;
 * - `strict: true`: every schema quirk must be repaired explicitly (see `repairForAjv`);
 * - `messages: false`: the failure adapter words messages from keyword and params.
 */
const ajvOptions: Options = {
  code: { source: true, esm: true, lines: true, optimize: true },
  allErrors: false,
  multipleOfPrecision: 9,
  strict: true,
  messages: false,
};

function createAjv(draft: string): Ajv {
  let ajv: Ajv;
  if (draft === draft04) {
    ajv = new (cjsDefault(Ajv04))(ajvOptions) as unknown as Ajv;
  } else if (draft === draft06) {
    ajv = new Ajv(ajvOptions);
    ajv.addMetaSchema(draft06MetaSchema);
  } else {
    throw new CodegenError(
      'SCHEMA_UNSUPPORTED',
      `unsupported $schema ${draft}; expected draft-04 or draft-06`,
    );
  }
  cjsDefault(addFormats)(ajv, { mode: 'full', formats: ['date-time', 'uri'], keywords: false });
  return ajv;
}

/**
 * Formats are compiled with ajv-formats ("full" mode) but run on the allocation-free checks of
 * the package's `formats.ts` (same acceptance, tested there), so importing the package does not
 * load ajv-formats. The generated code calls a format the way ajv-formats defines it.
 */
const runtimeFormats: Readonly<Record<string, string>> = {
  'date-time': 'isDateTime',
  uri: 'isUri',
};

function runtimeFormat(name: string): { binding: string; expression: string } {
  const binding = runtimeFormats[name];
  if (binding === undefined) {
    throw new CodegenError(
      'VALIDATOR_COMPILE_FAILED',
      `format "${name}" has no run-time check in formats.ts; add one`,
    );
  }
  const format: unknown = (fullFormats as Record<string, unknown>)[name];
  if (typeof format === 'function') return { binding, expression: binding };
  if (isRecord(format) && typeof format.validate === 'function') {
    return { binding, expression: `{ validate: ${binding} }` };
  }
  throw new CodegenError(
    'VALIDATOR_COMPILE_FAILED',
    `format "${name}" has an unsupported definition in ajv-formats`,
  );
}

export interface ValidatorSource {
  /** Schema file relative to the schemas directory. */
  readonly file: string;
  /** Exported name of the raw validator, e.g. `BootNotificationRequest`. */
  readonly exportName: string;
  readonly schema: unknown;
}

// Helpers ajv's standalone output `require`s, turned into ESM imports or inlined code.
const formatsRequire =
  /const (\w+) = require\("ajv-formats\/dist\/formats"\)\.fullFormats(?:\["([\w-]+)"\]|\.(\w+));/g;
const ucs2Require = /const (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/g;
const validateSignature =
  /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;

/**
 * One textual rewrite of ajv's output. When `expected` (the schemas use the feature the rewrite
 * handles) and the pattern matches nothing, ajv's output has changed shape: fail loudly rather
 * than emit code that silently keeps the untyped or `require`-based form.
 */
export function rewrite(
  code: string,
  name: string,
  pattern: RegExp | string,
  replacement: string | ((match: string, ...groups: string[]) => string),
  expected: boolean,
): string {
  let matched = 0;
  const counted = (match: string, ...groups: string[]) => {
    matched += 1;
    // A string replacement is literal (no `$1`): rewrites that need groups take a function.
    return typeof replacement === 'string' ? replacement : replacement(match, ...groups);
  };
  const next = code.replace(pattern, counted as (match: string, ...rest: unknown[]) => string);
  if (expected && matched === 0) {
    throw new CodegenError(
      'VALIDATOR_COMPILE_FAILED',
      `ajv's output no longer matches the "${name}" rewrite; the installed ajv changed its standalone code, so update codegen/src/emit-validators.ts`,
    );
  }
  return next;
}

/** Whether any schema of the group uses one of `keywords` (decides which rewrites must match). */
function usesKeyword(sources: readonly ValidatorSource[], keywords: readonly string[]): boolean {
  const found = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(found);
    if (!isRecord(value)) return false;
    return Object.entries(value).some(([key, child]) => keywords.includes(key) || found(child));
  };
  return sources.some((source) => found(source.schema));
}

/**
 * Compiles one group of schemas (one draft) to ajv standalone code and turns it into typed ESM
 * TypeScript: helper `require`s become imports, validate functions get parameter types.
 */
export function emitAjvModule(sources: readonly ValidatorSource[], formatsModule: string): string {
  const moduleQuirks: SchemaQuirk[] = [];
  const drafts = new Set(sources.map((s) => (isRecord(s.schema) ? s.schema.$schema : undefined)));
  if (drafts.size !== 1) {
    throw new CodegenError(
      'SCHEMA_UNSUPPORTED',
      `schemas ${sources.map((s) => s.file).join(', ')} mix JSON-schema drafts`,
    );
  }
  const draft = [...drafts][0];
  const ajv = createAjv(typeof draft === 'string' ? draft : '(missing $schema)');
  const refs: Record<string, string> = {};
  for (const source of sources) {
    const fileQuirks: SchemaQuirk[] = [];
    const repaired = repairForAjv(source.schema, fileQuirks) as Record<string, unknown>;
    moduleQuirks.push(
      ...fileQuirks.map((q) => ({ location: `${source.file}#${q.location}`, fix: q.fix })),
    );
    // Key by export name, not by the schema's own id (`id` in draft-04, `$id` in draft-06).
    delete repaired.id;
    delete repaired.$id;
    try {
      ajv.addSchema(repaired, source.exportName);
    } catch (cause) {
      throw new CodegenError(
        'VALIDATOR_COMPILE_FAILED',
        `ajv rejects ${source.file}: ${String(cause)}`,
        { cause },
      );
    }
    refs[source.exportName] = source.exportName;
  }
  let code: string;
  try {
    code = cjsDefault(standaloneCode)(ajv, refs);
  } catch (cause) {
    throw new CodegenError('VALIDATOR_COMPILE_FAILED', `ajv cannot compile: ${String(cause)}`, {
      cause,
    });
  }

  const helpers: string[] = [];
  code = rewrite(code, 'use strict', /^"use strict";/, '', true);
  // Only some ajv versions append a sourceURL comment: nothing to insist on.
  code = rewrite(code, 'sourceURL', /\/\*# sourceURL=[^*]*\*\/;?/g, '', false);
  const bindings = new Set<string>();
  code = rewrite(
    code,
    'ajv-formats require',
    formatsRequire,
    (_, name, quoted, bare) => {
      const { binding, expression } = runtimeFormat(String(quoted ?? bare));
      bindings.add(binding);
      return `const ${name} = ${expression};`;
    },
    usesKeyword(sources, ['format']),
  );

  let usesUcs2 = false;
  code = rewrite(
    code,
    'ucs2length require',
    ucs2Require,
    (_, name) => {
      usesUcs2 = true;
      return `const ${name} = ucs2length;`;
    },
    usesKeyword(sources, ['maxLength', 'minLength']),
  );
  if (usesUcs2) {
    // maxLength counts code points (JSON Schema), not UTF-16 units: ajv's helper, inlined.
    let helper = cjsDefault(ucs2length).toString();
    helper = rewrite(
      helper,
      'ucs2length signature',
      'function ucs2length(str)',
      'function ucs2length(str: string): number',
      true,
    );
    helpers.push(rewrite(helper, 'ucs2length local', 'let value;', 'let value: number;', true));
  }
  const leftover = /require\(("[^"]+")\)/.exec(code);
  if (leftover !== null) {
    throw new CodegenError(
      'VALIDATOR_COMPILE_FAILED',
      `ajv output needs the unsupported runtime helper ${leftover[1]}`,
    );
  }
  // Typing ajv's locals: its error list mixes null, fresh arrays and nested validators' lists.
  code = rewrite(code, 'vErrors', /let vErrors = null;/g, 'let vErrors: any = null;', true);
  code = rewrite(code, 'errors', /let errors = 0;/g, 'let errors: number = 0;', true);
  code = rewrite(
    code,
    '_errs',
    /const (_errs\d+) = errors;/g,
    (_, local) => `const ${local}: number = errors;`,
    // Emitted only where a sub-schema's validity is tracked, which no keyword predicts; a
    // missed one shows up as an implicit-any error when the generated module is type-checked.
    false,
  );
  // ajv guards `multipleOf: 0` at run time; with a literal divisor TypeScript rejects the dead comparison.
  code = rewrite(
    code,
    'multipleOf guard',
    /(?<![\w.])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?) === 0 \|\| /g,
    (whole, literal) => (Number(literal) === 0 ? whole : ''),
    usesKeyword(sources, ['multipleOf']),
  );
  const names: string[] = [];
  code = rewrite(
    code,
    'validate signature',
    validateSignature,
    (_, name) => {
      names.push(name);
      return `function ${name}(data: any, {instancePath="", parentData, parentDataProperty, rootData=data}: AjvContext = {}): boolean {`;
    },
    true,
  );
  const declarations = [
    '/** Calling context ajv passes to nested validate functions. */',
    'interface AjvContext { instancePath?: string; parentData?: unknown; parentDataProperty?: string | number; rootData?: unknown }',
    "/** An ajv error object (see ajv's ErrorObject). */",
    'export interface AjvError { readonly instancePath: string; readonly schemaPath: string; readonly keyword: string; readonly params: Readonly<Record<string, unknown>>; readonly message?: string }',
    ...names.map((n) => `${n}.errors = null as AjvError[] | null;`),
  ];
  // Assembled through ts-morph like every other file; ajv's code goes in as statements, unparsed
  // by us and unformatted (prettier would take seconds on it for no reader).
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('ajv.ts');
  if (bindings.size > 0) {
    file.addImportDeclaration({
      moduleSpecifier: formatsModule,
      namedImports: [...bindings].sort(),
    });
  }
  file.addStatements([describeQuirks(moduleQuirks), ...declarations, ...helpers, code]);
  return file.getFullText();
}

/** A comment listing every schema quirk of one module, grouped by what the generator did. */
export function describeQuirks(quirks: readonly SchemaQuirk[]): string {
  if (quirks.length === 0) return '/** Schema quirks: none in these schemas. */';
  const byFix = new Map<string, string[]>();
  for (const q of quirks) byFix.set(q.fix, [...(byFix.get(q.fix) ?? []), q.location]);
  const lines = [
    '/**',
    ' * Schema quirks handled by ocpp-codegen (see codegen/README.md, "Schema quirks"):',
  ];
  for (const fix of [...byFix.keys()].sort()) {
    const locations = byFix.get(fix) ?? [];
    lines.push(` * - ${fix} (${locations.length}):`);
    for (const location of locations) lines.push(` *     ${location}`);
  }
  lines.push(' */');
  return lines.join('\n');
}
