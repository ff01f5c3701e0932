import { describe, expect, test } from 'vitest';
import { emitAjvModule, rewrite } from './emit-validators.js';

const draft06 = 'http://json-schema.org/draft-06/schema#';

describe('rewrite: each rewrite of ajv output fails loudly when it matches nothing', () => {
  test('an expected rewrite that matches nothing is VALIDATOR_COMPILE_FAILED naming it', () => {
    expect(() => rewrite('let errors = 1;', 'errors', /let errors = 0;/g, 'x', true)).toThrow(
      expect.objectContaining({
        code: 'VALIDATOR_COMPILE_FAILED',
        message: expect.stringContaining('"errors" rewrite'),
      }),
    );
  });

  test('a rewrite not expected for these schemas may match nothing', () => {
    expect(rewrite('abc', 'multipleOf guard', /0\.1 === 0 \|\| /g, '', false)).toBe('abc');
  });

  test('string replacements are literal; function replacements see the groups', () => {
    expect(rewrite('a1 a2', 'n', /a(\d)/g, '$1', true)).toBe('$1 $1');
    expect(rewrite('a1 a2', 'n', /a(\d)/g, (_, digit) => `b${digit}`, true)).toBe('b1 b2');
  });
});

describe('emitAjvModule: given schemas, want typed ESM', () => {
  const given = [
    {
      file: 'Probe.json',
      exportName: 'ProbeRequest',
      schema: {
        $schema: draft06,
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          name: { type: 'string', maxLength: 20 },
          limit: { type: 'number', multipleOf: 0.1 },
        },
        required: ['at'],
        additionalProperties: false,
      },
    },
  ];

  test('helpers become imports or typed inline code, and no require is left', () => {
    const code = emitAjvModule(given, './formats.js');
    expect(code).toContain("import { isDateTime } from './formats.js';");
    expect(code).toContain('function ucs2length(str: string): number');
    expect(code).toContain('let vErrors: any = null;');
    expect(code).toMatch(
      /function validate\d+\(data: any, \{instancePath="", parentData, parentDataProperty, rootData=data\}: AjvContext = \{\}\): boolean \{/,
    );
    expect(code).not.toContain('require(');
    expect(code).not.toContain('"use strict"');
    // ajv's run-time guard for `multipleOf: 0` is dropped for the literal 0.1.
    expect(code).not.toMatch(/0\.1 === 0 \|\| /);
  });

  test('without format, maxLength or multipleOf those rewrites are not required', () => {
    const plain = [
      {
        file: 'Plain.json',
        exportName: 'PlainRequest',
        schema: { $schema: draft06, type: 'object', properties: { n: { type: 'integer' } } },
      },
    ];
    const code = emitAjvModule(plain, './formats.js');
    expect(code).not.toContain('./formats.js');
    expect(code).not.toContain('ucs2length');
  });
});
