using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Internal.Tracking;

/// <summary>
/// Follows objects by overlap: a detection of the same class overlapping an object's last box by at least the IoU
/// limit is that object again (best pairs first). An object seen in <c>minFrames</c> frames opens an event; one unseen
/// for the lost time ends it. At 2 fps a walking person moves well under half a box between frames, so IoU is enough.
/// </summary>
internal sealed class ObjectTracker(float iouLimit, int minFrames, TimeSpan lost)
{
    private readonly List<TrackedObject> _objects = [];
    private readonly List<(int Object, int Detection, float Iou)> _pairs = [];

    public IReadOnlyList<TrackedObject> Objects => _objects;

    /// <summary>Takes one frame's accepted detections (with the zones each stands in).</summary>
    /// <param name="opened">Gets the objects whose events open with this frame.</param>
    public void Update(IReadOnlyList<(DetectedObject Detection, IReadOnlyList<string> Zones, string Label)> detections, ReadOnlySpan<byte> rgb, int width, int height, int stride, DateTimeOffset at, List<TrackedObject> opened)
    {
        _pairs.Clear();
        for (var o = 0; o < _objects.Count; o++)
        {
            for (var d = 0; d < detections.Count; d++)
            {
                if (_objects[o].ClassId == detections[d].Detection.ClassId && _objects[o].LastBox.Iou(detections[d].Detection.Box) is var iou && iou >= iouLimit)
                {
                    _pairs.Add((o, d, iou));
                }
            }
        }

        _pairs.Sort(static (a, b) => b.Iou.CompareTo(a.Iou));
        var objectTaken = new bool[_objects.Count];
        var detectionTaken = new bool[detections.Count];
        foreach (var (o, d, _) in _pairs)
        {
            if (!objectTaken[o] && !detectionTaken[d])
            {
                (objectTaken[o], detectionTaken[d]) = (true, true);
                _objects[o].Saw(detections[d].Detection, detections[d].Zones, at, rgb, width, height, stride);
            }
        }

        for (var d = 0; d < detections.Count; d++)
        {
            if (!detectionTaken[d])
            {
                var (detection, zones, label) = detections[d];
                var fresh = new TrackedObject(detection.ClassId, label, at);
                fresh.Saw(detection, zones, at, rgb, width, height, stride);
                _objects.Add(fresh);
            }
        }

        foreach (var tracked in _objects)
        {
            if (!tracked.Opened && tracked.Hits >= minFrames)
            {
                tracked.Opened = true;
                opened.Add(tracked);
            }
        }
    }

    /// <summary>Removes objects unseen for the lost time; <paramref name="ended"/> gets those whose event was open.</summary>
    public void Expire(DateTimeOffset now, List<TrackedObject> ended)
    {
        for (var i = _objects.Count - 1; i >= 0; i--)
        {
            if (now - _objects[i].LastSeen >= lost)
            {
                if (_objects[i].Opened)
                {
                    ended.Add(_objects[i]);
                }

                _objects.RemoveAt(i);
            }
        }
    }

    /// <summary>Ends every object (the plugin stops); <paramref name="ended"/> gets those whose event was open.</summary>
    public void EndAll(List<TrackedObject> ended)
    {
        ended.AddRange(_objects.Where(o => o.Opened));
        _objects.Clear();
    }
}
