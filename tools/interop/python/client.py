"""The interop cases as a grpcio (C-core) client. Usage:
    /usr/bin/python3 client.py --descriptors set.pb --address 127.0.0.1:PORT --cases a,b,c [--ca ca.crt]
Prints "PASS <case>" or "FAIL <case>: <reason>" per case; the test harness asserts each line."""
import sys
import threading

import grpc

from common import SERVICE, args, load_messages, log

options = args(sys.argv[1:])
M = load_messages(options["descriptors"])
if "ca" in options:
    with open(options["ca"], "rb") as f:
        channel = grpc.secure_channel(options["address"], grpc.ssl_channel_credentials(root_certificates=f.read()))
else:
    channel = grpc.insecure_channel(options["address"])


def method(kind, name, request, response):
    return getattr(channel, kind)("/%s/%s" % (SERVICE, name), request_serializer=request.SerializeToString, response_deserializer=response.FromString)


empty_call = method("unary_unary", "EmptyCall", M.Empty, M.Empty)
unary_call = method("unary_unary", "UnaryCall", M.SimpleRequest, M.SimpleResponse)
output_call = method("unary_stream", "StreamingOutputCall", M.StreamingOutputCallRequest, M.StreamingOutputCallResponse)
input_call = method("stream_unary", "StreamingInputCall", M.StreamingInputCallRequest, M.StreamingInputCallResponse)
duplex_call = method("stream_stream", "FullDuplexCall", M.StreamingOutputCallRequest, M.StreamingOutputCallResponse)
unimplemented_call = method("unary_unary", "UnimplementedCall", M.Empty, M.Empty)
REQUESTS = [27182, 8, 1828, 45904]
RESPONSES = [31415, 9, 2653, 58979]
MESSAGE = "test status message"
SPECIAL = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class Pipe:
    """A request iterator the test feeds one message at a time, as grpc's own interop client does."""

    def __init__(self):
        self._items, self._open, self._condition = [], True, threading.Condition()

    def add(self, item):
        with self._condition:
            self._items.append(item)
            self._condition.notify()

    def close(self):
        with self._condition:
            self._open = False
            self._condition.notify()

    def __iter__(self):
        return self

    def __next__(self):
        with self._condition:
            while not self._items and self._open:
                self._condition.wait()
            if self._items:
                return self._items.pop(0)
            raise StopIteration


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_code(code, function, *a, **kw):
    try:
        function(*a, **kw)
    except grpc.RpcError as e:
        check(e.code() == code, "expected %s, got %s: %s" % (code, e.code(), e.details()))
        return e
    raise AssertionError("expected %s, the call succeeded" % code)


def duplex_request(response_size, request_size):
    return M.StreamingOutputCallRequest(response_parameters=[M.ResponseParameters(size=response_size)], payload=M.Payload(body=bytes(request_size)))


def large_request(**kw):
    return M.SimpleRequest(response_size=314159, payload=M.Payload(body=bytes(271828)), **kw)


def empty_unary():
    check(empty_call(M.Empty(), timeout=10) == M.Empty(), "not empty")


def large_unary():
    check(len(unary_call(large_request(), timeout=10).payload.body) == 314159, "wrong size")


def client_streaming():
    requests = (M.StreamingInputCallRequest(payload=M.Payload(body=bytes(n))) for n in REQUESTS)
    check(input_call(requests, timeout=10).aggregated_payload_size == 74922, "wrong aggregate")


def server_streaming():
    responses = output_call(M.StreamingOutputCallRequest(response_parameters=[M.ResponseParameters(size=n) for n in RESPONSES]), timeout=10)
    check([len(r.payload.body) for r in responses] == RESPONSES, "wrong sizes")


def ping_pong():
    pipe = Pipe()
    responses = duplex_call(pipe, timeout=10)
    for request_size, response_size in zip(REQUESTS, RESPONSES):
        pipe.add(duplex_request(response_size, request_size))
        check(len(next(responses).payload.body) == response_size, "wrong size")
    pipe.close()
    check(next(responses, None) is None, "extra response")


def empty_stream():
    check(list(duplex_call(iter([]), timeout=10)) == [], "responses to an empty stream")


def cancel_after_begin():
    pipe = Pipe()
    future = input_call.future(pipe, timeout=10)
    future.cancel()
    check(future.cancelled() and future.code() == grpc.StatusCode.CANCELLED, "not cancelled")


def cancel_after_first_response():
    pipe = Pipe()
    responses = duplex_call(pipe, timeout=10)
    pipe.add(duplex_request(31415, 27182))
    check(len(next(responses).payload.body) == 31415, "wrong size")
    responses.cancel()
    expect_code(grpc.StatusCode.CANCELLED, next, responses)


def timeout_on_sleeping_server():
    pipe = Pipe()
    responses = duplex_call(pipe, timeout=0.001)
    pipe.add(M.StreamingOutputCallRequest(payload=M.Payload(body=bytes(27182))))
    expect_code(grpc.StatusCode.DEADLINE_EXCEEDED, next, responses)


def status_code_and_message():
    e = expect_code(grpc.StatusCode.UNKNOWN, unary_call, M.SimpleRequest(response_status=M.EchoStatus(code=2, message=MESSAGE)), timeout=10)
    check(e.details() == MESSAGE, "unary detail %r" % e.details())
    responses = duplex_call(iter([M.StreamingOutputCallRequest(response_status=M.EchoStatus(code=2, message=MESSAGE))]), timeout=10)
    e = expect_code(grpc.StatusCode.UNKNOWN, list, responses)
    check(e.details() == MESSAGE, "stream detail %r" % e.details())


def special_status_message():
    e = expect_code(grpc.StatusCode.UNKNOWN, unary_call, M.SimpleRequest(response_status=M.EchoStatus(code=2, message=SPECIAL)), timeout=10)
    check(e.details() == SPECIAL, "detail %r" % e.details())


def custom_metadata():
    metadata = (("x-grpc-test-echo-initial", "test_initial_metadata_value"), ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab"))

    def verify(call):
        check(("x-grpc-test-echo-initial", "test_initial_metadata_value") in call.initial_metadata(), "initial %r" % (call.initial_metadata(),))
        check(("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab") in call.trailing_metadata(), "trailing %r" % (call.trailing_metadata(),))

    _, call = unary_call.with_call(large_request(), metadata=metadata, timeout=10)
    verify(call)
    responses = duplex_call(iter([duplex_request(314159, 271828)]), metadata=metadata, timeout=10)
    check(len(list(responses)) == 1, "one response")
    verify(responses)


def unimplemented_method():
    expect_code(grpc.StatusCode.UNIMPLEMENTED, unimplemented_call, M.Empty(), timeout=10)


def client_compressed_unary():
    expect_code(grpc.StatusCode.INVALID_ARGUMENT, unary_call, large_request(expect_compressed=M.BoolValue(value=True)), timeout=10)
    response = unary_call(large_request(expect_compressed=M.BoolValue(value=True)), compression=grpc.Compression.Gzip, timeout=10)
    check(len(response.payload.body) == 314159, "wrong size")
    check(len(unary_call(large_request(expect_compressed=M.BoolValue(value=False)), timeout=10).payload.body) == 314159, "wrong size")


def client_compressed_streaming():
    def requests(sizes):
        return iter([M.StreamingInputCallRequest(payload=M.Payload(body=bytes(n)), expect_compressed=M.BoolValue(value=True)) for n in sizes])

    expect_code(grpc.StatusCode.INVALID_ARGUMENT, input_call, requests([27182]), timeout=10)
    check(input_call(requests([27182, 45904]), compression=grpc.Compression.Gzip, timeout=10).aggregated_payload_size == 73086, "wrong aggregate")


def server_compressed_unary():
    for compressed in (True, False):
        response = unary_call(large_request(response_compressed=M.BoolValue(value=compressed)), timeout=10)
        check(len(response.payload.body) == 314159, "wrong size")


def server_compressed_streaming():
    parameters = [M.ResponseParameters(size=31415, compressed=M.BoolValue(value=True)), M.ResponseParameters(size=92653, compressed=M.BoolValue(value=False))]
    check([len(r.payload.body) for r in output_call(M.StreamingOutputCallRequest(response_parameters=parameters), timeout=10)] == [31415, 92653], "wrong sizes")


for name in options["cases"].split(","):
    try:
        globals()[name]()
        log("PASS " + name)
    except Exception as e:  # every failure becomes one FAIL line for the harness
        log("FAIL %s: %s" % (name, " ".join(("%s: %s" % (type(e).__name__, e)).split())))
channel.close()
