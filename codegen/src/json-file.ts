import { readFile } from 'node:fs/promises';
import { CodegenError } from './errors.js';

/** Reads and parses a JSON file, naming the file in any failure. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CodegenError('INPUT_UNREADABLE', `cannot read ${path}: check the path`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CodegenError('INPUT_UNREADABLE', `${path} is not valid JSON`, { cause });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
