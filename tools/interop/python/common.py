"""Interop messages for grpcio without generated code: the message classes come from a FileDescriptorSet (written by
the C# interop console from the same protos), so any python3-protobuf runtime can load them."""
import sys

import grpc
from google.protobuf import descriptor_pb2, message_factory

SERVICE = "grpc.testing.TestService"


def args(argv):
    return {argv[i].lstrip("-"): argv[i + 1] for i in range(0, len(argv), 2)}


def load_messages(descriptor_set_path):
    with open(descriptor_set_path, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
    classes = message_factory.GetMessages(list(files))
    return type("Messages", (), {name.split(".")[-1]: cls for name, cls in classes.items()})


def status_code(number):
    return next(code for code in grpc.StatusCode if code.value[0] == number)


def log(line):
    print(line, flush=True)
    sys.stdout.flush()
