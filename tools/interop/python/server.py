"""The interop TestService on grpcio (C-core). Usage:
    /usr/bin/python3 server.py --descriptors set.pb --port 0 [--cert server.crt --key server.key]
Prints "LISTENING <port>" once bound."""
import sys
import threading
import time
from concurrent import futures

import grpc

from common import SERVICE, args, load_messages, log, status_code

options = args(sys.argv[1:])
M = load_messages(options["descriptors"])


def payload(size):
    return M.Payload(body=bytes(size))


def echo_metadata(context):
    metadata = dict(context.invocation_metadata())
    if "x-grpc-test-echo-initial" in metadata:
        context.send_initial_metadata((("x-grpc-test-echo-initial", metadata["x-grpc-test-echo-initial"]),))
    if "x-grpc-test-echo-trailing-bin" in metadata:
        context.set_trailing_metadata((("x-grpc-test-echo-trailing-bin", metadata["x-grpc-test-echo-trailing-bin"]),))


def fail_if_asked(status, context):
    if status.code != 0:
        context.abort(status_code(status.code), status.message)


def empty_call(request, context):
    return M.Empty()


def unary_call(request, context):
    echo_metadata(context)
    fail_if_asked(request.response_status, context)
    if request.response_compressed.value:
        context.set_compression(grpc.Compression.Gzip)
    return M.SimpleResponse(payload=payload(request.response_size))


def streaming_output_call(request, context):
    context.set_compression(grpc.Compression.Gzip)
    for parameters in request.response_parameters:
        if parameters.interval_us:
            time.sleep(parameters.interval_us / 1e6)
        if not parameters.compressed.value:
            context.disable_next_message_compression()
        yield M.StreamingOutputCallResponse(payload=payload(parameters.size))


def streaming_input_call(request_iterator, context):
    return M.StreamingInputCallResponse(aggregated_payload_size=sum(len(r.payload.body) for r in request_iterator))


def full_duplex_call(request_iterator, context):
    echo_metadata(context)
    for request in request_iterator:
        fail_if_asked(request.response_status, context)
        for parameters in request.response_parameters:
            yield M.StreamingOutputCallResponse(payload=payload(parameters.size))


def handler(kind, function, request, response):
    return kind(function, request_deserializer=request.FromString, response_serializer=response.SerializeToString)


handlers = {
    "EmptyCall": handler(grpc.unary_unary_rpc_method_handler, empty_call, M.Empty, M.Empty),
    "UnaryCall": handler(grpc.unary_unary_rpc_method_handler, unary_call, M.SimpleRequest, M.SimpleResponse),
    "StreamingOutputCall": handler(grpc.unary_stream_rpc_method_handler, streaming_output_call, M.StreamingOutputCallRequest, M.StreamingOutputCallResponse),
    "StreamingInputCall": handler(grpc.stream_unary_rpc_method_handler, streaming_input_call, M.StreamingInputCallRequest, M.StreamingInputCallResponse),
    "FullDuplexCall": handler(grpc.stream_stream_rpc_method_handler, full_duplex_call, M.StreamingOutputCallRequest, M.StreamingOutputCallResponse),
}

server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
address = "127.0.0.1:%s" % options.get("port", "0")
if "cert" in options:
    with open(options["key"], "rb") as key, open(options["cert"], "rb") as cert:
        port = server.add_secure_port(address, grpc.ssl_server_credentials(((key.read(), cert.read()),)))
else:
    port = server.add_insecure_port(address)
server.start()
log("LISTENING %d" % port)
threading.Event().wait()
