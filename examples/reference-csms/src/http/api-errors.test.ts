import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startTestCsms } from '../test-support/test-csms.js';
import { maxBodyBytes } from './server.js';

describe('operator API refuses bad input with a 4xx naming the problem', () => {
  test('no or a wrong API key: 401 UNAUTHORIZED', async () => {
    const csms = await startTestCsms();
    for (const headers of [
      { authorization: '' },
      { authorization: 'Bearer nope' },
      { authorization: 'Basic eDp5' },
    ]) {
      const { status, body } = await csms.api('GET', '/api/charge-points', undefined, headers);
      expect(status).toBe(401);
      expect(body.error).toEqual({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Bearer'),
      });
    }
    // The document describing the API needs no key.
    const doc = await csms.api('GET', '/openapi.json', undefined, { authorization: '' });
    expect(doc.body.paths['/api/commands/{action}'].post.summary).toContain(
      'RemoteStartTransaction',
    );
  });

  test('wrong types and unknown fields: 400 INVALID_REQUEST naming the field', async () => {
    const csms = await startTestCsms();
    const wrongType = await csms.api('POST', '/api/charge-points', {
      identity: 'A',
      securityProfile: 'two',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('securityProfile'),
    });
    const extra = await csms.api('POST', '/api/charge-points', {
      identity: 'A',
      securityProfile: 0,
      colour: 'red',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('additional properties');
    const badKey = await csms.api('POST', '/api/charge-points', {
      identity: 'A',
      securityProfile: 1,
      authorizationKey: 'xyz',
    });
    expect(badKey.body.error.message).toContain('authorizationKey');
    const noKey = await csms.api('POST', '/api/charge-points', {
      identity: 'A',
      securityProfile: 1,
    });
    expect(noKey.body.error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('A00.FR.205'),
    });
    const badQuery = await csms.api('GET', '/api/transactions?limit=0');
    expect(badQuery.status).toBe(400);
  });

  test('unknown charge point, unknown command, unknown route: 404 with the name', async () => {
    const csms = await startTestCsms();
    const cp = await csms.api('POST', '/api/commands/Reset', {
      chargePoints: ['GHOST'],
      payload: { type: 'Soft' },
    });
    expect(cp.status).toBe(404);
    expect(cp.body.error).toEqual({ code: 'NOT_FOUND', message: 'Unknown charge point: GHOST' });
    const command = await csms.api('POST', '/api/commands/BootNotification', {
      chargePoints: ['GHOST'],
      payload: {},
    });
    expect(command.status).toBe(404);
    expect(command.body.error).toMatchObject({
      code: 'UNKNOWN_COMMAND',
      message: expect.stringContaining("'BootNotification'"),
    });
    expect((await csms.api('GET', '/api/charge-points/GHOST')).status).toBe(404);
    expect((await csms.api('GET', '/api/nothing')).body.error.code).toBe('NOT_FOUND');
  });

  test('an OCPP payload that fails its schema: 400 INVALID_PAYLOAD with the failures', async () => {
    const csms = await startTestCsms();
    await csms.api('POST', '/api/charge-points', { identity: 'CP-1', securityProfile: 0 });
    const { status, body } = await csms.api('POST', '/api/commands/ChangeConfiguration', {
      chargePoints: ['CP-1'],
      payload: { key: 'K'.repeat(51), value: 1 },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_PAYLOAD');
    expect(body.error.details[0].instancePath).toMatch(/^\/(key|value)$/);
  });

  test('an oversized body: 413; a body that is not JSON: 415 or 400', async () => {
    const csms = await startTestCsms();
    const big = await csms.api('POST', '/api/charge-points', {
      identity: 'A',
      securityProfile: 0,
      pad: 'x'.repeat(maxBodyBytes),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const text = await csms.api('POST', '/api/charge-points', 'identity=A', {
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await csms.api('POST', '/api/charge-points', '{"identity":', {});
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_REQUEST');
  });

  test('a duplicate registration: 409 CONFLICT', async () => {
    const csms = await startTestCsms();
    await csms.api('POST', '/api/charge-points', { identity: 'CP-1', securityProfile: 0 });
    const again = await csms.api('POST', '/api/charge-points', {
      identity: 'CP-1',
      securityProfile: 0,
    });
    expect(again.status).toBe(409);
  });
});

describe('bad frames from a charge point', () => {
  test('OCPP-J §4.2.3 get the right CALLERROR and never touch the database', async () => {
    const csms = await startTestCsms({
      configuration: {},
      readConfiguration: false,
      triggersOnAccept: [],
    });
    await csms.api('POST', '/api/charge-points', { identity: 'CP-1', securityProfile: 0 });
    const ws = new WebSocket(`${csms.ocppUrl}/CP-1`, 'ocpp1.6');
    const replies: unknown[][] = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data)) as unknown[]));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]');
    await expect.poll(() => replies.length).toBe(1);
    const before = csms.storage.database.stats.writes;
    ws.send(
      '[2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"yesterday","sampledValue":[{"value":"1"}]}]}]',
    );
    ws.send(
      '[2,"m2","StartTransaction",{"connectorId":1,"idTag":"TOO-LONG-FOR-AN-IDTAG-X","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"}]',
    );
    ws.send(
      '[2,"m3","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]',
    );
    ws.send(
      '[2,"m4","StopTransaction",{"transactionId":"1","meterStop":1,"timestamp":"2026-01-01T00:00:00Z"}]',
    );
    await expect.poll(() => replies.length).toBe(5);
    expect(replies.slice(1).map((r) => r.slice(0, 3))).toEqual([
      [4, 'm1', 'PropertyConstraintViolation'],
      [4, 'm2', 'PropertyConstraintViolation'],
      [4, 'm3', 'PropertyConstraintViolation'],
      [4, 'm4', 'TypeConstraintViolation'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(csms.storage.database.stats.writes).toBe(before);
    expect((await csms.api('GET', '/api/transactions')).body.transactions).toEqual([]);
    ws.close();
  });
});
