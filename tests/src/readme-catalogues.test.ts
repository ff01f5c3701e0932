// Every stable code a package documents is in its README table, and every code the table names
// exists (Fastify's docs/errors test): a new code without a row, or a stale row, fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chargePointKitErrorCodes, localListRejectionReasons } from '@ocpp-kit/charge-point-kit';
import { codegenErrorCodes } from '@ocpp-kit/codegen';
import { callFailureReasons, csmsKitErrorCodes } from '@ocpp-kit/csms-kit';
import { callErrorCodes, localErrorCodes } from '@ocpp-kit/rpc-core';
import { rejectReasons, scheduleErrorCodes } from '@ocpp-kit/schedule';
import {
  chainRejectionReasons,
  securityErrorCodes,
  storeRejectionReasons,
} from '@ocpp-kit/security';
import { describe, expect, test } from 'vitest';
import { repoRoot } from './support/build.js';
import { codeSpans, sectionOf, tableKeys } from './support/markdown.js';

const readme = (dir: string) => readFileSync(join(repoRoot, dir, 'README.md'), 'utf8');
const sorted = (values: Iterable<string>) => [...values].sort();

describe('README error tables match the catalogues', () => {
  test.each([
    [
      'packages/rpc-core',
      'Local codes (`localErrorCodes`, never sent to a peer)',
      'code',
      localErrorCodes,
    ],
    [
      'packages/rpc-core',
      'CALLERROR codes (`callErrorCodes`, OCPP-J 1.6 §4.2.3 Table 7)',
      'code',
      callErrorCodes,
    ],
    ['packages/security', 'Error codes', 'code', securityErrorCodes],
    ['packages/security', 'Chain validation', 'reason', chainRejectionReasons],
    [
      'packages/security',
      'Store rejection reasons (`storeRejectionReasons`)',
      'reason',
      storeRejectionReasons.filter((reason) => !chainRejectionReasons.includes(reason as never)),
    ],
    ['packages/schedule', 'Error codes', 'code', scheduleErrorCodes],
    ['codegen', 'Usage', 'code', codegenErrorCodes],
    ['packages/charge-point-kit', 'Error codes', 'code', chargePointKitErrorCodes],
    ['packages/csms-kit', 'Error codes', 'code', csmsKitErrorCodes],
    ['packages/csms-kit', 'Failure reasons (`callFailureReasons`)', 'reason', callFailureReasons],
    [
      'packages/charge-point-kit',
      'SendLocalList rejection reasons (`localListRejectionReasons`)',
      'reason',
      localListRejectionReasons,
    ],
  ] as const)('%s "%s"', (dir, heading, column, catalogue) => {
    const keys = tableKeys(sectionOf(readme(dir), heading), column);
    expect(keys.length, 'each code has one row').toBe(new Set(keys).size);
    expect(sorted(keys)).toEqual(sorted(catalogue));
  });

  test('regression: SecurityProfileMismatch was missing from the rpc-core README', () => {
    const keys = tableKeys(
      sectionOf(
        readme('packages/rpc-core'),
        'Local codes (`localErrorCodes`, never sent to a peer)',
      ),
      'code',
    );
    expect(keys).toContain('SecurityProfileMismatch');
  });

  test('schedule "Rejected reasons" lists exactly rejectReasons', () => {
    const spans = codeSpans(sectionOf(readme('packages/schedule'), 'Rejected reasons'));
    expect(sorted(new Set(spans))).toEqual(sorted(rejectReasons));
  });
});
