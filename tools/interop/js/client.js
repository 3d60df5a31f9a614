'use strict';
// The interop cases as a grpc-js client. Usage:
//   node client.js --address 127.0.0.1:PORT --cases a,b,c [--ca ca.crt]
// Prints "PASS <case>" or "FAIL <case>: <reason>" per case; the test harness asserts each line.
const fs = require('fs');
const assert = require('assert');
const { grpc, testing, args } = require('./common');

const options = args(process.argv.slice(2));
const credentials = options.ca ? grpc.credentials.createSsl(fs.readFileSync(options.ca)) : grpc.credentials.createInsecure();
const client = new testing.TestService(options.address, credentials);
// grpc-js compresses per channel, not per call: a second channel for the compressed cases.
const gzipClient = new testing.TestService(options.address, credentials, { 'grpc.default_compression_algorithm': 2 });
const zeros = (n) => Buffer.alloc(n);
const sizes = { requests: [27182, 8, 1828, 45904], responses: [31415, 9, 2653, 58979] };
const deadline = (ms) => new Date(Date.now() + ms);

const unary = (c, method, request, opts = {}, metadata = new grpc.Metadata()) => new Promise((resolve, reject) => {
  const call = c[method](request, metadata, { deadline: deadline(10000), ...opts }, (error, response) => (error ? reject(error) : resolve({ response, call })));
});

function expectCode(promise, code) {
  return promise.then(() => assert.fail(`expected status ${code}`), (e) => { assert.strictEqual(e.code, code, e.message); return e; });
}

function readAll(call) {
  return new Promise((resolve, reject) => {
    const items = [];
    call.on('data', (m) => items.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(items));
  });
}

function inputCall(c, payloadSizes, expectCompressed) {
  return new Promise((resolve, reject) => {
    const call = c.streamingInputCall({ deadline: deadline(10000) }, (e, r) => (e ? reject(e) : resolve(r)));
    for (const size of payloadSizes) call.write({ payload: { body: zeros(size) }, expectCompressed: { value: expectCompressed } });
    call.end();
  });
}

async function pingPong(call) {
  const reader = call[Symbol.asyncIterator]();
  for (let i = 0; i < 4; i++) {
    call.write({ responseParameters: [{ size: sizes.responses[i] }], payload: { body: zeros(sizes.requests[i]) } });
    const next = await reader.next();
    assert.strictEqual(next.value.payload.body.length, sizes.responses[i]);
  }
  call.end();
  assert.ok((await reader.next()).done);
}

const statusMessage = 'test status message';
const special = '\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n';

const cases = {
  async empty_unary() {
    const { response } = await unary(client, 'emptyCall', {});
    assert.deepStrictEqual(Object.keys(response), []);
  },
  async large_unary() {
    const { response } = await unary(client, 'unaryCall', { responseSize: 314159, payload: { body: zeros(271828) } });
    assert.strictEqual(response.payload.body.length, 314159);
  },
  async client_streaming() {
    const response = await inputCall(client, sizes.requests, false);
    assert.strictEqual(response.aggregatedPayloadSize, 74922);
  },
  async server_streaming() {
    const call = client.streamingOutputCall({ responseParameters: sizes.responses.map((size) => ({ size })) }, { deadline: deadline(10000) });
    const items = await readAll(call);
    assert.deepStrictEqual(items.map((m) => m.payload.body.length), sizes.responses);
  },
  async ping_pong() {
    await pingPong(client.fullDuplexCall({ deadline: deadline(10000) }));
  },
  async empty_stream() {
    const call = client.fullDuplexCall({ deadline: deadline(10000) });
    call.end();
    assert.strictEqual((await readAll(call)).length, 0);
  },
  async cancel_after_begin() {
    const done = new Promise((resolve) => {
      const call = client.streamingInputCall({ deadline: deadline(10000) }, (e) => resolve(e));
      call.cancel();
    });
    const error = await done;
    assert.strictEqual(error && error.code, grpc.status.CANCELLED);
  },
  async cancel_after_first_response() {
    const call = client.fullDuplexCall({ deadline: deadline(10000) });
    const errored = new Promise((resolve) => call.on('error', resolve));
    const first = new Promise((resolve) => call.once('data', resolve));
    call.write({ responseParameters: [{ size: 31415 }], payload: { body: zeros(27182) } });
    assert.strictEqual((await first).payload.body.length, 31415);
    call.cancel();
    assert.strictEqual((await errored).code, grpc.status.CANCELLED);
  },
  async timeout_on_sleeping_server() {
    const call = client.fullDuplexCall({ deadline: deadline(1) });
    call.write({ payload: { body: zeros(27182) } });
    const error = await new Promise((resolve) => { call.on('error', resolve); call.on('data', () => {}); });
    assert.strictEqual(error.code, grpc.status.DEADLINE_EXCEEDED);
  },
  async status_code_and_message() {
    const e = await expectCode(unary(client, 'unaryCall', { responseStatus: { code: 2, message: statusMessage } }), 2);
    assert.strictEqual(e.details, statusMessage);
    const call = client.fullDuplexCall({ deadline: deadline(10000) });
    call.write({ responseStatus: { code: 2, message: statusMessage } });
    call.end();
    const e2 = await readAll(call).then(() => assert.fail('expected an error'), (x) => x);
    assert.strictEqual(e2.code, 2);
    assert.strictEqual(e2.details, statusMessage);
  },
  async special_status_message() {
    const e = await expectCode(unary(client, 'unaryCall', { responseStatus: { code: 2, message: special } }), 2);
    assert.strictEqual(e.details, special);
  },
  async custom_metadata() {
    const trailingValue = Buffer.from([0xab, 0xab, 0xab]);
    const metadata = () => {
      const m = new grpc.Metadata();
      m.set('x-grpc-test-echo-initial', 'test_initial_metadata_value');
      m.set('x-grpc-test-echo-trailing-bin', trailingValue);
      return m;
    };
    const seen = await new Promise((resolve, reject) => {
      let initial;
      const call = client.unaryCall({ responseSize: 314159, payload: { body: zeros(271828) } }, metadata(), { deadline: deadline(10000) }, (e) => { if (e) reject(e); });
      call.on('metadata', (m) => { initial = m; });
      call.on('status', (s) => resolve({ initial, trailing: s.metadata }));
    });
    assert.strictEqual(seen.initial.get('x-grpc-test-echo-initial')[0], 'test_initial_metadata_value');
    assert.deepStrictEqual(seen.trailing.get('x-grpc-test-echo-trailing-bin')[0], trailingValue);
    const call = client.fullDuplexCall(metadata(), { deadline: deadline(10000) });
    const initial = new Promise((resolve) => call.on('metadata', resolve));
    const status = new Promise((resolve) => call.on('status', resolve));
    call.write({ responseParameters: [{ size: 314159 }], payload: { body: zeros(271828) } });
    call.end();
    await readAll(call);
    assert.strictEqual((await initial).get('x-grpc-test-echo-initial')[0], 'test_initial_metadata_value');
    assert.deepStrictEqual((await status).metadata.get('x-grpc-test-echo-trailing-bin')[0], trailingValue);
  },
  async unimplemented_method() {
    await expectCode(unary(client, 'unimplementedCall', {}), grpc.status.UNIMPLEMENTED);
  },
  async client_compressed_unary() {
    const request = (expect) => ({ responseSize: 314159, payload: { body: zeros(271828) }, expectCompressed: { value: expect } });
    // The probe: a server that checks must refuse an uncompressed message that claims to be compressed.
    await expectCode(unary(client, 'unaryCall', request(true)), grpc.status.INVALID_ARGUMENT);
    assert.strictEqual((await unary(gzipClient, 'unaryCall', request(true))).response.payload.body.length, 314159);
    assert.strictEqual((await unary(client, 'unaryCall', request(false))).response.payload.body.length, 314159);
  },
  async client_compressed_streaming() {
    await expectCode(inputCall(client, [27182], true), grpc.status.INVALID_ARGUMENT);
    assert.strictEqual((await inputCall(gzipClient, [27182, 45904], true)).aggregatedPayloadSize, 73086);
  },
  async server_compressed_unary() {
    for (const compressed of [true, false]) {
      const { response } = await unary(client, 'unaryCall', { responseSize: 314159, payload: { body: zeros(271828) }, responseCompressed: { value: compressed } });
      assert.strictEqual(response.payload.body.length, 314159);
    }
  },
  async server_compressed_streaming() {
    const call = client.streamingOutputCall({ responseParameters: [{ size: 31415, compressed: { value: true } }, { size: 92653, compressed: { value: false } }] }, { deadline: deadline(10000) });
    assert.deepStrictEqual((await readAll(call)).map((m) => m.payload.body.length), [31415, 92653]);
  },
};

(async () => {
  for (const name of options.cases.split(',')) {
    try {
      if (!cases[name]) throw new Error('unknown case');
      await cases[name]();
      console.log(`PASS ${name}`);
    } catch (e) {
      console.log(`FAIL ${name}: ${String(e && e.message).replace(/\s+/g, ' ')}`);
    }
  }
  client.close();
  gzipClient.close();
})();
