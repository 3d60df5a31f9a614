"""The benchmark's grpcio client (scripts/bench-grpc.sh). Usage:
    /usr/bin/python3 bench.py --descriptors set.pb --address 127.0.0.1:PORT [--seconds 3 --messages 2048]
Prints one RESULT line."""
import sys
import threading
import time

import grpc

from common import SERVICE, args, load_messages, log

options = args(sys.argv[1:])
M = load_messages(options["descriptors"])
seconds = float(options.get("seconds", "3"))
messages = int(options.get("messages", "2048"))
channel = grpc.insecure_channel(options["address"])
unary_call = channel.unary_unary("/%s/UnaryCall" % SERVICE, request_serializer=M.SimpleRequest.SerializeToString, response_deserializer=M.SimpleResponse.FromString)
input_call = channel.stream_unary("/%s/StreamingInputCall" % SERVICE, request_serializer=M.StreamingInputCallRequest.SerializeToString, response_deserializer=M.StreamingInputCallResponse.FromString)
output_call = channel.unary_stream("/%s/StreamingOutputCall" % SERVICE, request_serializer=M.StreamingOutputCallRequest.SerializeToString, response_deserializer=M.StreamingOutputCallResponse.FromString)
CHUNK = bytes(64 * 1024)


def unary(callers, duration):
    counts = [0] * callers
    start = time.perf_counter()

    def caller(index):
        request = M.SimpleRequest()
        while time.perf_counter() - start < duration:
            unary_call(request)
            counts[index] += 1

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - start)


def client_stream():
    start = time.perf_counter()
    message = M.StreamingInputCallRequest(payload=M.Payload(body=CHUNK))
    received = input_call(message for _ in range(messages)).aggregated_payload_size
    return received / (time.perf_counter() - start) / 1e6


def server_stream():
    start = time.perf_counter()
    request = M.StreamingOutputCallRequest(response_parameters=[M.ResponseParameters(size=len(CHUNK))] * messages)
    received = sum(len(r.payload.body) for r in output_call(request))
    return received / (time.perf_counter() - start) / 1e6


unary(1, 0.5)
u1, u16 = unary(1, seconds), unary(16, seconds)
up, down = client_stream(), server_stream()
log("RESULT %.0f %.0f %.0f %.0f -" % (u1, u16, up, down))
channel.close()
