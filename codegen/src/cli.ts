#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CodegenError } from './errors.js';
import { generate } from './generate.js';
import { compareOutput, describeDrift, isUpToDate, writeOutput } from './output.js';

const usage = `Usage: ocpp-codegen --schemas <dir> --manifest <file> --out <dir> [--type-names <file>] [--runtime <module>] [--check]

  --schemas     directory with the JSON schemas the manifest names
  --manifest    action manifest (e.g. schemas/ocpp1.6.actions.json)
  --type-names  names of inline objects and enums (default: the manifest path with
                .actions.json replaced by .types.json)
  --out         output directory (e.g. packages/messages/src/generated)
  --runtime     module the output imports the protocol contract and format checks from
                (default: ../protocol.js and ../formats.js next to the output directory;
                e.g. @ocpp-kit/messages for a package of your own)
  --check       generate in memory and exit 1 if the output directory is stale
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
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
  if (values.schemas === undefined || values.manifest === undefined || values.out === undefined) {
    throw new CodegenError('USAGE', `--schemas, --manifest and --out are required\n\n${usage}`);
  }
  const manifestPath = resolve(values.manifest);
  const typeNamesPath = resolve(
    values['type-names'] ?? manifestPath.replace(/\.actions\.json$/, '.types.json'),
  );
  const outDir = resolve(values.out);
  const files = await generate({
    schemasDir: resolve(values.schemas),
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
    const message =
      known || (error instanceof TypeError && 'code' in error)
        ? (error as Error).message
        : String(error);
    process.stderr.write(`ocpp-codegen: ${known ? `[${error.code}] ` : ''}${message}\n`);
    if (!known && error instanceof Error && error.stack !== undefined)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
