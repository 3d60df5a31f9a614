// These tests run ffmpeg, servers, nodes and Chromium; one at a time on a two-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
