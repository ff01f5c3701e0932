// A CSMS written by others: ocpp-rpc 2.2.1 in strict mode (every payload checked against the
// OCA schemas both ways), in its own process so its CommonJS `ws` loads as in production.
// Reports each CALL it receives to the test over IPC.
'use strict';
const { RPCServer } = require('ocpp-rpc');

let nextTransactionId = 1;
const now = () => new Date().toISOString();
const answers = {
  BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 300 }),
  Heartbeat: () => ({ currentTime: now() }),
  StatusNotification: () => ({}),
  Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
  StartTransaction: () => ({
    transactionId: nextTransactionId++,
    idTagInfo: { status: 'Accepted' },
  }),
  MeterValues: () => ({}),
  StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
  DataTransfer: () => ({ status: 'Accepted' }),
};

async function main() {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.on('client', (client) => {
    client.handle(({ method, params }) => {
      process.send({ type: 'call', identity: client.identity, method, params });
      const answer = answers[method];
      if (answer === undefined) throw new Error(`no answer for ${method}`);
      return answer();
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  process.send({ type: 'listening', port: http.address().port });
  process.on('message', async (message) => {
    if (message.op === 'close') {
      await server.close({ force: true });
      process.exit(0);
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
