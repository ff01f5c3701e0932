import type { Measurand } from '@ocpp-kit/messages';
import { measurandValues } from '@ocpp-kit/messages';

/** A station template, as the well-known simulators keep them: what kind of charge point to be. */
export interface StationTemplate {
  readonly vendor: string;
  readonly model: string;
  readonly firmwareVersion: string;
  /** The serial number is this plus the charge point's number. */
  readonly serialPrefix: string;
  readonly connectors: number;
  readonly phases: 1 | 3;
  readonly voltageV: number;
  readonly maxCurrentA: number;
  readonly meterType: string;
  readonly measurands: readonly Measurand[];
}

/** A template that does not describe a charge point; the message names the field. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const measurands = new Set<string>(measurandValues);

/** Checks a parsed JSON template field by field (BootNotification limits: CiString20/25/50). */
export function parseStationTemplate(value: unknown, origin = 'template'): StationTemplate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TemplateError(`${origin} must be a JSON object`);
  }
  const input = value as Record<string, unknown>;
  const text = (field: string, max: number): string => {
    const v = input[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) {
      throw new TemplateError(`${origin}: ${field} must be a string of 1-${max} characters`);
    }
    return v;
  };
  const integer = (field: string, min: number, max: number): number => {
    const v = input[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new TemplateError(`${origin}: ${field} must be an integer from ${min} to ${max}`);
    }
    return v;
  };
  const phases = integer('phases', 1, 3);
  if (phases === 2) throw new TemplateError(`${origin}: phases must be 1 or 3`);
  const list = input.measurands;
  if (!Array.isArray(list) || list.some((m) => typeof m !== 'string' || !measurands.has(m))) {
    throw new TemplateError(`${origin}: measurands must be a list of OCPP 1.6 measurands`);
  }
  const known = new Set([
    'vendor',
    'model',
    'firmwareVersion',
    'serialPrefix',
    'connectors',
    'phases',
    'voltageV',
    'maxCurrentA',
    'meterType',
    'measurands',
  ]);
  const extra = Object.keys(input).filter((key) => !known.has(key));
  if (extra.length > 0) throw new TemplateError(`${origin}: unknown field ${extra.join(', ')}`);
  return {
    vendor: text('vendor', 20),
    model: text('model', 20),
    firmwareVersion: text('firmwareVersion', 50),
    serialPrefix: text('serialPrefix', 19),
    connectors: integer('connectors', 1, 32),
    phases: phases as 1 | 3,
    voltageV: integer('voltageV', 100, 1000),
    maxCurrentA: integer('maxCurrentA', 6, 500),
    meterType: text('meterType', 25),
    measurands: list as Measurand[],
  };
}
