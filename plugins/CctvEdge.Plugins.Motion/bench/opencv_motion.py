#!/usr/bin/python3
"""The motion plugin's pipeline in OpenCV (Debian's python3-opencv 4.6), as a reference for speed and detections.

Same steps and parameters as plugins/CctvEdge.Plugins.Motion (keep them in step): 2x INTER_AREA halvings, GaussianBlur
at sigma 0, a float running-average background updated with accumulateWeighted at the quantised rates (1/256 steps;
changed pixels at ForegroundAlpha until they have been changed for AbsorbSeconds), absdiff against the rounded background, threshold, masks, global-change re-seeding
with its hold, 3x3 opening and closing, connectedComponentsWithStats (8-connectivity) within the area limits, the
fixed or adaptive alert threshold, and the same event forming. Profiles are not applied. Reads raw 8-bit gray frames
and prints what `cctvedge-node bench motion` prints. Run with /usr/bin/python3 (it has cv2).

    opencv_motion.py --input FILE --width W --height H [--config FILE] [--fps 5] [--flags FILE]
"""
import argparse
import collections
import json
import math
import sys
import time

import cv2
import numpy as np

DEFAULTS = {
    "downscale": 1, "blursize": 5, "threshold": 25, "alpha": 0.05, "foregroundalpha": 0.004, "absorbseconds": 5, "open": 1, "close": 2,
    "minareapercent": 0.05, "maxareapercent": 50, "minchangedpercent": 0.1, "globalchangepercent": 40,
    "globalchangeholdseconds": 1, "adaptive": False, "adaptivek": 3, "adaptivewindowseconds": 60, "minframes": 2,
    "gapseconds": 3, "maxeventseconds": 120, "masks": [], "zones": [], "profiles": [], "magnitudeintervalseconds": 1,
}


def load_settings(path):
    settings = dict(DEFAULTS)
    if path:
        with open(path, encoding="utf-8") as f:
            root = {k.lower(): v for k, v in json.load(f).items()}
        if "cameras" in root:
            plugins = {k.lower(): v for k, v in root["cameras"][0].get("Plugins", {}).items()}
            root = {k.lower(): v for k, v in plugins.get("motion", {}).items()}
        root.pop("enabled", None)
        unknown = set(root) - set(DEFAULTS)
        if unknown:
            sys.exit(f"opencv_motion.py: unknown settings {sorted(unknown)}")
        settings.update(root)
    if settings["profiles"]:
        print("note: profiles are not applied by the reference", file=sys.stderr)
    return settings


def rasterise(points, width, height):
    """Pixels whose centres lie inside the polygon (even-odd), as the plugin draws masks and zones."""
    ys, xs = np.mgrid[0:height, 0:width]
    cx, cy = (xs + 0.5) / width, (ys + 0.5) / height
    inside = np.zeros((height, width), bool)
    for i, (ax, ay) in enumerate(points):
        bx, by = points[(i + 1) % len(points)]
        if ay == by:
            continue
        crosses = ((ay <= cy) & (cy < by)) | ((by <= cy) & (cy < ay))
        x_at = ax + (cy - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (cx >= x_at)
    return inside


def rate(alpha):
    return min(max(round(alpha * 256), 1), 256) / 256


class Events:
    """The plugin's event forming: MinFrames to open, GapSeconds to close, split at MaxEventSeconds."""

    def __init__(self, s):
        self.s, self.consecutive, self.candidate, self.open, self.found = s, 0, None, None, []

    def update(self, t, motion, magnitude):
        if not motion:
            self.consecutive = 0
            if self.open is None:
                self.candidate = None
            elif t - self.open["last"] >= self.s["gapseconds"]:
                self.close(self.open["last"])
            return
        if self.consecutive == 0 and self.open is None:
            self.candidate = {"start": t, "last": t, "peak": 0.0}
        self.consecutive += 1
        run = self.open or self.candidate
        run["last"], run["peak"] = t, max(run["peak"], magnitude)
        if self.open is not None:
            if t - self.open["start"] >= self.s["maxeventseconds"]:
                self.close(t)
        elif self.consecutive >= self.s["minframes"]:
            self.open, self.candidate = self.candidate, None

    def close(self, end):
        self.found.append((self.open["start"], end, self.open["peak"]))
        self.open, self.consecutive = None, 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--config")
    parser.add_argument("--fps", type=float, default=5)
    parser.add_argument("--flags", help="write 0 or 1 per frame: motion")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    s = load_settings(args.config)

    raw = np.fromfile(args.input, dtype=np.uint8)
    frame_bytes = args.width * args.height
    if raw.size == 0 or raw.size % frame_bytes:
        sys.exit(f"opencv_motion.py: {args.input} is not a whole number of {args.width}x{args.height} frames")
    frames = raw.reshape(-1, args.height, args.width)

    halvings = int(math.log2(s["downscale"]))
    width, height = args.width >> halvings, args.height >> halvings
    pixels = width * height
    masked = np.zeros((height, width), bool)
    for polygon in s["masks"]:
        masked |= rasterise({k.lower(): v for k, v in polygon.items()}["points"], width, height)
    watched = np.where(masked, 0, 255).astype(np.uint8)
    watched_pixels = int(np.count_nonzero(watched))
    kernel = np.ones((3, 3), np.uint8)
    quiet, moving = rate(s["alpha"]), rate(s["foregroundalpha"])
    absorb_frames = min(max(round(s["absorbseconds"] * args.fps), 1), 65535)
    ages = np.zeros((height, width), np.uint16)
    min_area = max(1, round(s["minareapercent"] * pixels / 100))
    max_area = max(min_area, round(s["maxareapercent"] * pixels / 100))
    hold_frames = max(0, math.ceil(s["globalchangeholdseconds"] * args.fps - 1e-9) - 1)
    window = collections.deque()
    events = Events(s)

    background, hold, flags, times = None, 0, [], []
    for index, frame in enumerate(frames):
        t = index / args.fps
        started = time.perf_counter()
        image = frame
        for _ in range(halvings):
            image = cv2.resize(image, (image.shape[1] // 2, image.shape[0] // 2), interpolation=cv2.INTER_AREA)
        blurred = cv2.GaussianBlur(image, (s["blursize"], s["blursize"]), 0) if s["blursize"] else image
        threshold, motion, magnitude = s["minchangedpercent"], False, 0.0
        if background is None or hold > 0:
            background, hold = blurred.astype(np.float32), hold - 1
            ages[:] = 0
        else:
            rounded = cv2.convertScaleAbs(background)
            _, changed = cv2.threshold(cv2.absdiff(blurred, rounded), s["threshold"], 255, cv2.THRESH_BINARY)
            young = cv2.bitwise_and(changed, cv2.compare(ages, absorb_frames, cv2.CMP_LT))
            cv2.accumulateWeighted(blurred, background, quiet, mask=cv2.bitwise_not(young))
            cv2.accumulateWeighted(blurred, background, moving, mask=young)
            ages = cv2.bitwise_and(cv2.add(ages, 1), 65535, mask=changed)
            changed = cv2.bitwise_and(changed, watched)
            if cv2.countNonZero(changed) * 100 / watched_pixels >= s["globalchangepercent"]:
                background, hold = blurred.astype(np.float32), hold_frames
                ages[:] = 0
            else:
                if s["open"]:
                    changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, kernel, iterations=s["open"])
                if s["close"]:
                    changed = cv2.morphologyEx(changed, cv2.MORPH_CLOSE, kernel, iterations=s["close"])
                _, _, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
                areas = stats[1:, cv2.CC_STAT_AREA]
                moving_pixels = int(areas[(areas >= min_area) & (areas <= max_area)].sum())
                magnitude = moving_pixels * 100 / pixels
                if s["adaptive"]:
                    threshold = max(threshold, adaptive_level(window, s["adaptivek"]) * 100 / pixels)
                    window.append((t, moving_pixels))
                    while window and t - window[0][0] >= s["adaptivewindowseconds"]:
                        window.popleft()
                motion = moving_pixels > 0 and magnitude >= threshold
        times.append((time.perf_counter() - started) * 1000)
        events.update(t, motion, magnitude)
        flags.append(motion)

    ordered = sorted(times)
    print(f"opencv {cv2.__version__} reference: {len(frames)} frames of {args.width}x{args.height} from {args.input} at {args.fps:g} fps")
    print(f"ms/frame: mean {sum(times) / len(times):.4f} p95 {ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)]:.4f} (one thread)")
    print(f"frames with motion: {sum(flags)} of {len(frames)}")
    print(f"events: {len(events.found) + (events.open is not None)}")
    for start, end, peak in events.found:
        print(f"  {start:.1f}-{end:.1f} s  peak {peak:.3f} %")
    if events.open is not None:
        print(f"  {events.open['start']:.1f}-open s  peak {events.open['peak']:.3f} %")
    if args.flags:
        with open(args.flags, "w", encoding="utf-8") as f:
            f.writelines("1\n" if m else "0\n" for m in flags)


def adaptive_level(window, k):
    if not window:
        return 0.0
    values = np.array([v for _, v in window], dtype=np.float64)
    return values.mean() + k * values.std()


if __name__ == "__main__":
    main()
