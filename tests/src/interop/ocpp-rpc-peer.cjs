// An ocpp-rpc 2.2.1 peer in its own Node process, driven over IPC by the interop tests. It runs
// outside vitest so ocpp-rpc's CommonJS `require('ws')` resolves as in production.
'use strict';
const { RPCServer, RPCClient } = require('ocpp-rpc');

const [mode, endpoint, identity, passwordHex, strict] = process.argv.slice(2);
const password = Buffer.from(passwordHex, 'hex');
const strictMode = strict === 'strict';
const responses = new Map();
const received = [];
let peer;

function handle(rpc) {
  rpc.handle(({ method, params }) => {
    received.push([method, params]);
    return responses.get(method);
  });
}

async function start() {
  if (mode === 'server') {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode });
    server.auth((accept, reject, handshake) => {
      const ok =
        handshake.identity === identity && password.equals(handshake.password ?? Buffer.alloc(0));
      if (ok) accept();
      else reject(401, 'bad credentials');
    });
    server.on('client', (client) => {
      peer = client;
      handle(client);
      process.send({ type: 'connected' });
    });
    const http = await server.listen(0, '127.0.0.1');
    process.send({ type: 'listening', port: http.address().port });
    return () => server.close({ force: true });
  }
  const client = new RPCClient({
    endpoint,
    identity,
    password,
    protocols: ['ocpp1.6'],
    strictMode,
    reconnect: false,
  });
  handle(client);
  peer = client;
  await client.connect();
  process.send({ type: 'connected' });
  return () => client.close({ force: true });
}

let stop = async () => {};
process.on('message', async (message) => {
  const reply = (body) => process.send({ id: message.id, ...body });
  try {
    switch (message.op) {
      case 'respond':
        responses.set(message.action, message.response);
        return reply({ ok: true });
      case 'received':
        return reply({ ok: true, result: received.at(-1) });
      case 'raw':
        return reply({ ok: true, result: await rawCall(message.text) });
      case 'call':
        return reply({ ok: true, result: await peer.call(message.action, message.params) });
      case 'close':
        await stop();
        reply({ ok: true });
        return process.exit(0);
    }
  } catch (error) {
    reply({ ok: false, code: error.rpcErrorCode, message: error.message });
  }
});

/** Sends one raw frame and resolves with the next inbound frame (bypassing strict mode). */
function rawCall(text) {
  return new Promise((resolve) => {
    const onMessage = ({ message, outbound }) => {
      if (outbound) return;
      peer.off('message', onMessage);
      resolve(String(message));
    };
    peer.on('message', onMessage);
    peer.sendRaw(text);
  });
}

start().then(
  (s) => {
    stop = s;
  },
  (error) => {
    process.send({ type: 'failed', message: error.message });
    process.exit(1);
  },
);
