'use strict';
// Loads the interop protos from tools/interop/proto with proto-loader (no code generation).
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const protoRoot = path.join(__dirname, '..', 'proto');
const definition = protoLoader.loadSync('grpc/testing/test.proto', {
  includeDirs: [protoRoot], keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true,
});
const testing = grpc.loadPackageDefinition(definition).grpc.testing;

function args(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, '')] = argv[i + 1];
  return result;
}

module.exports = { grpc, testing, args };
