#!/usr/bin/env node
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CodegenError } from './errors.js';
import { generate } from './generate.js';
import { compareOutput, describeDrift, isUpToDate, writeOutput } from './output.js';

/** The schemas this package ships (copied from the repository's `schemas/` at build time). */
const bundledSchemas = fileURLToPath(new URL('../schemas/', import.meta.url));
const bundledManifestName = 'ocpp1.6.actions.json';

const usage = `Usage: ocpp-codegen --out <dir> [--schemas <dir>] [--manifest <file>] [--type-names <file>] [--runtime <module>] [--check]

  --out         output directory (e.g. src/generated)
  --schemas     directory with the JSON schemas the manifest names (default: the manifest's
                directory; without --manifest, the OCPP 1.6 + security schemas shipped with
                this package)
  --manifest    action manifest (default: the shipped ${bundledManifestName})
  --type-names  names of inline objects and enums (default: the manifest path with
                .actions.json replaced by .types.json)
  --runtime     module the output imports the protocol contract and format checks from
                (default: @ocpp-kit/messages)
  --check       generate in memory and exit 1 if the output directory is stale
`;

async function bundledManifest(): Promise<string> {
  const path = join(bundledSchemas, bundledManifestName);
  if (!(await exists(path))) {
    throw new CodegenError(
      'INPUT_UNREADABLE',
      `the shipped schemas are missing (${path}); build the package (pnpm build) or pass --schemas and --manifest`,
    );
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `parseArgs`, with its errors (unknown option, stray argument) as `USAGE` errors. */
function parseUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (cause) {
    if (
      cause instanceof TypeError &&
      String((cause as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
    ) {
      throw new CodegenError('USAGE', `${cause.message}\n\n${usage}`, { cause });
    }
    throw cause;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseUsage({
    args: argv,
    options: {
      schemas: { type: 'string' },
      manifest: { type: 'string' },
      'type-names': { type: 'string' },
      out: { type: 'string' },
      runtime: { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (values.out === undefined) {
    throw new CodegenError('USAGE', `--out is required\n\n${usage}`);
  }
  if (values.schemas !== undefined && values.manifest === undefined) {
    throw new CodegenError(
      'USAGE',
      `--schemas needs --manifest: name the action manifest of those schemas\n\n${usage}`,
    );
  }
  const manifestPath =
    values.manifest === undefined ? await bundledManifest() : resolve(values.manifest);
  const schemasDir = resolve(values.schemas ?? dirname(manifestPath));
  const typeNamesPath = resolve(
    values['type-names'] ?? manifestPath.replace(/\.actions\.json$/, '.types.json'),
  );
  const outDir = resolve(values.out);
  const files = await generate({
    schemasDir,
    manifestPath,
    typeNamesPath,
    ...(values.runtime === undefined ? {} : { runtimeModule: values.runtime }),
  });
  if (values.check) {
    const drift = await compareOutput(outDir, files);
    if (!isUpToDate(drift)) {
      process.stderr.write(`${describeDrift(outDir, drift)}\n`);
      return 1;
    }
    process.stdout.write(`ocpp-codegen: ${files.size} files in ${outDir} are up to date\n`);
    return 0;
  }
  await writeOutput(outDir, files);
  process.stdout.write(`ocpp-codegen: wrote ${files.size} files to ${outDir}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof CodegenError;
    const message = known ? error.message : String(error);
    process.stderr.write(`ocpp-codegen: ${known ? `[${error.code}] ` : ''}${message}\n`);
    if (!known && error instanceof Error && error.stack !== undefined)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
