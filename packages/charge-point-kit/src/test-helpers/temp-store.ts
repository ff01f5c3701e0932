import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { KitStore } from '../storage/kit-store.js';

/** A fresh directory for this test, removed (with every store opened in it) when it ends. */
export function tempDirectory(prefix = 'kit'): string {
  const path = mkdtempSync(join(tmpdir(), `ocpp-kit-cp-${prefix}-`));
  onTestFinished(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** Opens `file` as a KitStore that closes when the test ends. */
export function openTestStore(file: string): KitStore {
  const store = KitStore.open({ file });
  onTestFinished(() => store.close());
  return store;
}
