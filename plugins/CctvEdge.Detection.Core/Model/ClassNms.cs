namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Non-maximum suppression per class: of boxes of one class overlapping by more than the IoU limit only the best
/// scoring stays. A person in front of a car keeps both boxes.
/// </summary>
internal static class ClassNms
{
    /// <summary>Sorts <paramref name="candidates"/> best first and moves the survivors to <paramref name="kept"/>.</summary>
    public static void Apply(List<DetectedObject> candidates, float iouLimit, List<DetectedObject> kept)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        foreach (var candidate in candidates)
        {
            var suppressed = false;
            foreach (var survivor in kept)
            {
                if (survivor.ClassId == candidate.ClassId && survivor.Box.Iou(candidate.Box) > iouLimit)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                kept.Add(candidate);
            }
        }
    }
}
