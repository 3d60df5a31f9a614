#!/usr/bin/python3
"""An IP camera for tests: GStreamer's RTSP server on 127.0.0.1 with a main stream (/main, 640x360) and a
sub-stream (/sub, 320x180), both H.264 at 10 fps with a moving ball, behind basic authentication.

Usage: rtsp-camera.py PORT USER PASSWORD
Prints "listening on PORT" once it accepts connections; runs until killed.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

STREAMS = {"/main": (640, 360), "/sub": (320, 180)}


def factory(width, height, permissions):
    # Live, keyframe every second (the node cuts segments on keyframes), no B-frames, as cameras send.
    launch = (
        f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate=10/1 "
        "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bframes=0 "
        "! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    media = GstRtspServer.RTSPMediaFactory()
    media.set_launch(launch)
    media.set_shared(True)
    media.set_permissions(permissions)
    return media


def main():
    port, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)

    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("viewer", "media.factory.access", True)
    permissions.add_permission_for_role("viewer", "media.factory.construct", True)

    mounts = server.get_mount_points()
    for path, (width, height) in STREAMS.items():
        mounts.add_factory(path, factory(width, height, permissions))

    if server.attach(None) == 0:
        print(f"could not listen on 127.0.0.1:{port}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"listening on {port}", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
