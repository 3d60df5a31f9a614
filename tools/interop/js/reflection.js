'use strict';
// A grpc-js client of gRPC server reflection (grpc.reflection.v1alpha), doing what grpcurl does to describe a method:
// list the services, fetch the file that defines the method, rebuild its descriptors from the bytes alone.
//   node reflection.js --address 127.0.0.1:PORT --symbol grpc.testing.TestService.UnaryCall
// Prints "SERVICES a,b", "FILES f1,f2" and "METHOD <name> <input> -> <output>", or "FAIL <reason>".
const path = require('path');
const protoLoader = require('@grpc/proto-loader');
// protobufjs comes with proto-loader; its descriptor extension decodes FileDescriptorProto bytes.
const descriptor = require('protobufjs/ext/descriptor');
const { grpc, args } = require('./common');

const options = args(process.argv.slice(2));
const definition = protoLoader.loadSync(path.join(__dirname, '..', 'proto', 'grpc', 'reflection', 'v1alpha', 'reflection.proto'), { keepCase: true });
const reflection = grpc.loadPackageDefinition(definition).grpc.reflection.v1alpha;
const client = new reflection.ServerReflection(options.address, grpc.credentials.createInsecure());
const call = client.ServerReflectionInfo();
const answers = [];

call.on('data', (answer) => {
  answers.push(answer);
  if (answers.length === 2) call.end();
});
call.on('error', (error) => { console.log(`FAIL ${error.code} ${error.details}`); process.exitCode = 1; });
call.on('end', () => {
  const [list, files] = answers;
  console.log(`SERVICES ${list.list_services_response.service.map((s) => s.name).join(',')}`);
  if (!files.file_descriptor_response) {
    console.log(`FAIL ${JSON.stringify(files.error_response)}`);
    process.exitCode = 1;
    return;
  }
  const decoded = files.file_descriptor_response.file_descriptor_proto.map((bytes) => descriptor.FileDescriptorProto.decode(bytes));
  console.log(`FILES ${decoded.map((f) => f.name).join(',')}`);
  const serviceName = options.symbol.split('.').slice(-2, -1)[0];
  const methodName = options.symbol.split('.').pop();
  const method = decoded[0].service.find((s) => s.name === serviceName).method.find((m) => m.name === methodName);
  console.log(`METHOD ${method.name} ${method.inputType} -> ${method.outputType}`);
});

call.write({ list_services: '' });
call.write({ file_containing_symbol: options.symbol });
