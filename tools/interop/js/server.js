'use strict';
// The interop TestService on grpc-js. Usage: node server.js --port 0 [--cert server.crt --key server.key]
// Prints "LISTENING <port>" once bound.
const fs = require('fs');
const { grpc, testing, args } = require('./common');

const options = args(process.argv.slice(2));
const zeros = (n) => Buffer.alloc(n);

function echoMetadata(call) {
  const initial = new grpc.Metadata();
  const trailing = new grpc.Metadata();
  const echoInitial = call.metadata.get('x-grpc-test-echo-initial');
  if (echoInitial.length) initial.set('x-grpc-test-echo-initial', echoInitial[0]);
  const echoTrailing = call.metadata.get('x-grpc-test-echo-trailing-bin');
  if (echoTrailing.length) trailing.set('x-grpc-test-echo-trailing-bin', echoTrailing[0]);
  return { initial, trailing };
}

function statusError(status, trailing) {
  return { code: status.code, details: status.message, metadata: trailing };
}

const service = {
  emptyCall: (call, callback) => callback(null, {}),
  unaryCall(call, callback) {
    const { initial, trailing } = echoMetadata(call);
    call.sendMetadata(initial);
    const req = call.request;
    if (req.responseStatus && req.responseStatus.code !== 0) return callback(statusError(req.responseStatus, trailing));
    callback(null, { payload: { body: zeros(req.responseSize) } }, trailing);
  },
  streamingOutputCall(call) {
    const req = call.request;
    (async () => {
      for (const p of req.responseParameters) {
        if (p.intervalUs > 0) await new Promise((r) => setTimeout(r, p.intervalUs / 1000));
        if (call.cancelled) return;
        call.write({ payload: { body: zeros(p.size) } });
      }
      call.end();
    })();
  },
  streamingInputCall(call, callback) {
    let total = 0;
    call.on('data', (m) => { total += m.payload ? m.payload.body.length : 0; });
    call.on('end', () => callback(null, { aggregatedPayloadSize: total }));
    call.on('error', () => {});
  },
  fullDuplexCall(call) {
    const { initial, trailing } = echoMetadata(call);
    call.sendMetadata(initial);
    let failed = false;
    call.on('data', (req) => {
      if (failed) return;
      if (req.responseStatus && req.responseStatus.code !== 0) {
        failed = true;
        call.emit('error', statusError(req.responseStatus, trailing));
        return;
      }
      for (const p of req.responseParameters) call.write({ payload: { body: zeros(p.size) } });
    });
    call.on('end', () => { if (!failed) call.end(trailing); });
    call.on('error', () => {});
  },
};

const server = new grpc.Server();
server.addService(testing.TestService.service, service);
const credentials = options.cert
  ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: fs.readFileSync(options.cert), private_key: fs.readFileSync(options.key) }])
  : grpc.ServerCredentials.createInsecure();
server.bindAsync(`127.0.0.1:${options.port || 0}`, credentials, (error, port) => {
  if (error) { console.error(error); process.exit(1); }
  console.log(`LISTENING ${port}`);
});
process.on('SIGTERM', () => server.forceShutdown());
