'use strict';
// The benchmark's grpc-js client (scripts/bench-grpc.sh). Usage:
//   node bench.js --address 127.0.0.1:PORT [--seconds 3 --messages 2048]   prints one RESULT line
const { grpc, testing, args } = require('./common');

const options = args(process.argv.slice(2));
const seconds = Number(options.seconds || 3);
const messages = Number(options.messages || 2048);
const chunk = Buffer.alloc(64 * 1024);
const client = new testing.TestService(options.address, grpc.credentials.createInsecure());
const call = (request) => new Promise((resolve, reject) => client.unaryCall(request, (e, r) => (e ? reject(e) : resolve(r))));

async function unary(callers, duration) {
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(duration * 1e9));
  let calls = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (process.hrtime.bigint() < until) { await call({}); calls++; }
  }));
  return calls / (Number(process.hrtime.bigint() - start) / 1e9);
}

function clientStream() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const stream = client.streamingInputCall((e, r) => (e ? reject(e) : resolve(r.aggregatedPayloadSize / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6)));
    let sent = 0;
    const pump = () => {
      while (sent < messages) {
        sent++;
        if (!stream.write({ payload: { body: chunk } })) { stream.once('drain', pump); return; }
      }
      stream.end();
    };
    pump();
  });
}

function serverStream() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const request = { responseParameters: Array.from({ length: messages }, () => ({ size: chunk.length })) };
    let bytes = 0;
    const stream = client.streamingOutputCall(request);
    stream.on('data', (m) => { bytes += m.payload.body.length; });
    stream.on('error', reject);
    stream.on('end', () => resolve(bytes / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6));
  });
}

(async () => {
  await unary(1, 0.5);
  const u1 = await unary(1, seconds);
  const u16 = await unary(16, seconds);
  const up = await clientStream();
  const down = await serverStream();
  console.log(`RESULT ${u1.toFixed(0)} ${u16.toFixed(0)} ${up.toFixed(0)} ${down.toFixed(0)} -`);
  client.close();
})();
