// A typed OCPP-J exchange on 127.0.0.1 over security profile 1 (HTTP Basic auth), printed as the
// wire trace the central system sees. Every payload below is checked by the compiler and by the
// generated validators.
import { randomBytes } from 'node:crypto';
import { createClient, createServer, ocpp16, RpcError } from '@ocpp-kit/rpc-core';

const identity = 'CP-QUICKSTART';
/** Whitepaper §2.2: the AuthorizationKey is 16-20 bytes; the charge point and the CSMS share it. */
const authorizationKey = randomBytes(20);
const now = () => new Date().toISOString();

type Write = (line: string) => void;

export async function runExchange(write: Write = (line) => process.stdout.write(`${line}\n`)) {
  const server = createServer({
    protocol: ocpp16,
    securityProfile: 1,
    path: '/ocpp',
    authorizationKey: (id) => (id === identity ? authorizationKey : undefined),
  });
  server.router
    .on('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }))
    .on('Heartbeat', () => ({ currentTime: now() }))
    .on('StatusNotification', () => ({}));

  // The server re-emits every connection's session events, the connection in the payload.
  server.on('frameIn', ({ text }) => write(`  CP -> CS  ${text}`));
  server.on('frameOut', ({ text }) => write(`  CS -> CP  ${text}`));
  const connected = new Promise<void>((resolve) => server.once('client', () => resolve()));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });

  const client = createClient({
    protocol: ocpp16,
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity,
    securityProfile: 1,
    authorizationKey,
    reconnect: false,
    // Switched off for one action only, so the last step can show the CSMS's CALLERROR.
    session: { validation: { actions: { StatusNotification: { outgoingRequest: false } } } },
  });
  client.router.on('Reset', ({ type }) => {
    write(`  (charge point: ${type} reset accepted)`);
    return { status: 'Accepted' };
  });

  try {
    write(`\nConnecting ${client.url} (security profile 1, subprotocol ${ocpp16.subprotocol})`);
    await client.connect();
    await connected;

    write('\n1. BootNotification (charge point -> central system)');
    const boot = await client.call('BootNotification', {
      chargePointVendor: 'ocpp-kit',
      chargePointModel: 'Quickstart',
    });
    write(`  => ${boot.status}, heartbeat interval ${boot.interval} s`);

    write('\n2. Heartbeat');
    const beat = await client.call('Heartbeat', {});
    write(`  => central system time ${beat.currentTime}`);

    write('\n3. Reset (central system -> charge point)');
    const connection = server.connections.get(identity);
    if (connection === undefined) throw new Error('the charge point is not connected');
    const reset = await connection.call('Reset', { type: 'Soft' });
    write(`  => ${reset.status}`);

    write('\n4. An invalid payload, caught locally before anything is sent');
    const local = await client
      // @ts-expect-error the compiler already refuses it: chargePointModel is required
      .call('BootNotification', { chargePointVendor: 'ocpp-kit' })
      .catch((error: unknown) => error);
    if (local instanceof RpcError) write(`  => RpcError ${local.code}: ${local.message}`);

    write('\n5. An invalid payload sent anyway: the central system answers with a CALLERROR');
    const remote = await client
      .call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        // @ts-expect-error not a ChargePointStatus; the server's validator rejects it
        status: 'Idle',
      })
      .catch((error: unknown) => error);
    if (remote instanceof RpcError) write(`  => CALLERROR ${remote.code}: ${remote.message}`);
  } finally {
    await client.close();
    await server.close();
  }
  write('\nClosed.');
}
