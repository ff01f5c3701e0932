import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { KitLogger } from '../core/logger.js';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { ftpFileServer, httpFileServer } from '../test-helpers/file-servers.js';
import { FirmwareHardware } from '../test-helpers/firmware-hardware.js';
import { tempDirectory } from '../test-helpers/temp-store.js';

class DiagnosticsHardware extends FirmwareHardware {
  ranges: { from: number | undefined; to: number | undefined }[] = [];
  files: string[] = [];
  diagnosticsFiles(range: { from: number | undefined; to: number | undefined }) {
    this.ranges.push(range);
    return this.files;
  }
}

/** The members of a .tar.gz and one member's text, read by the system's tar. */
function tarMembers(archive: Buffer): { names: string[]; text: (name: string) => string } {
  const dir = tempDirectory('tar');
  const file = join(dir, 'a.tar.gz');
  writeFileSync(file, archive);
  const names = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
  return {
    names,
    text: (name) => execFileSync('tar', ['-xzOf', file, name], { encoding: 'utf8' }),
  };
}

async function withDiagnostics(logger?: KitLogger) {
  const hardware = new DiagnosticsHardware();
  const adapterLog = join(tempDirectory('adapter'), 'controller.log');
  writeFileSync(adapterLog, 'contactor cycles: 1042\n');
  hardware.files = [adapterLog];
  const made = await acceptedChargePoint({ hardware, ...(logger === undefined ? {} : { logger }) });
  const statuses = () =>
    made.csms.received
      .filter((r) => r.action === 'DiagnosticsStatusNotification')
      .map((r) => r.payload.status);
  return { ...made, hardware, statuses };
}

describe('diagnostics (§4.4, §5.9)', () => {
  test.each(['ftp', 'http'] as const)(
    '§5.9 over %s: the answer names the file; one tar.gz of the kit log and the adapter files is uploaded; Uploading, Uploaded',
    async (kind) => {
      const made = await withDiagnostics();
      const server =
        kind === 'ftp'
          ? await ftpFileServer({ 'diag/.keep': Buffer.alloc(0) })
          : await httpFileServer({});
      const answer = await made.connection.call('GetDiagnostics', {
        location: `${server.url}/diag/`,
      });
      expect(answer.fileName).toMatch(/^diagnostics-CP1-\d{8}T\d{6}Z\.tar\.gz$/);
      await made.csms.waitFor('DiagnosticsStatusNotification', 2);
      expect(made.statuses()).toEqual(['Uploading', 'Uploaded']);
      const uploaded =
        'uploads' in server
          ? server.uploads.get(`/diag/${answer.fileName}`)
          : readFileSync(join(server.root, 'diag', answer.fileName ?? ''));
      const archive = tarMembers(uploaded ?? Buffer.alloc(0));
      expect(archive.names).toEqual(['kit-log.jsonl', 'controller.log']);
      expect(archive.text('controller.log')).toBe('contactor cycles: 1042\n');
      const events = archive
        .text('kit-log.jsonl')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event);
      expect(events).toContain('connection.open');
    },
  );

  test('§6.25: startTime/stopTime bound the kit log and are passed to the adapter', async () => {
    const made = await withDiagnostics();
    const server = await httpFileServer({});
    const startTime = new Date(Date.now() + 3_600_000).toISOString();
    const answer = await made.connection.call('GetDiagnostics', {
      location: `${server.url}/d`,
      startTime,
    });
    await made.csms.waitFor('DiagnosticsStatusNotification', 2);
    expect(made.hardware.ranges).toEqual([{ from: Date.parse(startTime), to: undefined }]);
    const archive = tarMembers(server.uploads.get(`/d/${answer.fileName}`) ?? Buffer.alloc(0));
    expect(archive.text('kit-log.jsonl')).toBe('');
  });

  test('errata 3.50: retries are retries: 1 + retries attempts, then UploadFailed', async () => {
    const warnings: string[] = [];
    const logger: KitLogger = {
      debug: () => {},
      info: () => {},
      warn: (event) => warnings.push(event),
      error: () => {},
    };
    const made = await withDiagnostics(logger);
    await made.connection.call('GetDiagnostics', {
      location: 'http://127.0.0.1:1/nowhere/',
      retries: 2,
      retryInterval: 0,
    });
    await made.csms.waitFor('DiagnosticsStatusNotification', 2);
    expect(made.statuses()).toEqual(['Uploading', 'UploadFailed']);
    expect(warnings.filter((w) => w === 'diagnostics.uploadFailed')).toHaveLength(3);
  });

  test('§4.4: TriggerMessage DiagnosticsStatusNotification answers Idle when no upload runs', async () => {
    const made = await withDiagnostics();
    await made.connection.call('TriggerMessage', {
      requestedMessage: 'DiagnosticsStatusNotification',
    });
    await made.csms.waitFor('DiagnosticsStatusNotification');
    await settle();
    expect(made.statuses()).toEqual(['Idle']);
  });
});
