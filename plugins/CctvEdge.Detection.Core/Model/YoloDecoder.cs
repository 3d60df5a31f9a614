using System.Numerics;
using System.Runtime.InteropServices;

namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Turns a YOLO output into candidate boxes (model input pixels) with their best class, keeping those scoring at
/// least the lowest score any label accepts; the rest never reach NMS.
/// </summary>
internal sealed class YoloDecoder(YoloLayout layout)
{
    // Per-candidate best class and score, for the YOLOv8 layout whose class scores run along rows.
    private readonly float[] _bestScore = layout.HasObjectness ? [] : new float[layout.Candidates];
    private readonly int[] _bestClass = layout.HasObjectness ? [] : new int[layout.Candidates];

    public YoloLayout Layout => layout;

    public void Decode(ReadOnlySpan<float> output, float minScore, List<DetectedObject> found)
    {
        var expected = (long)layout.Candidates * (layout.Classes + (layout.HasObjectness ? 5 : 4));
        if (output.Length != expected)
        {
            throw new ModelException($"the model's output has {output.Length} values; {layout.Name} with {layout.Candidates} candidates and {layout.Classes} classes needs {expected}");
        }

        if (layout.HasObjectness)
        {
            DecodeRows(output, minScore, found);
        }
        else
        {
            DecodeColumns(output, minScore, found);
        }
    }

    /// <summary>YOLOv5: score = objectness × best class score; objectness alone rules most candidates out.</summary>
    private void DecodeRows(ReadOnlySpan<float> output, float minScore, List<DetectedObject> found)
    {
        var width = layout.Classes + 5;
        for (var i = 0; i < layout.Candidates; i++)
        {
            var row = output.Slice(i * width, width);
            var objectness = row[4];
            if (objectness < minScore)
            {
                continue;
            }

            var classes = row[5..];
            var best = 0;
            for (var c = 1; c < classes.Length; c++)
            {
                if (classes[c] > classes[best])
                {
                    best = c;
                }
            }

            var score = objectness * classes[best];
            if (score >= minScore)
            {
                found.Add(new DetectedObject(Box.FromCentre(row[0], row[1], row[2], row[3]), best, score));
            }
        }
    }

    /// <summary>
    /// YOLOv8: a row per class; walking the rows in order keeps memory access sequential, and whole vectors of
    /// candidates are compared at once (80 × 8400 scores a frame: the bulk of post-processing).
    /// </summary>
    private void DecodeColumns(ReadOnlySpan<float> output, float minScore, List<DetectedObject> found)
    {
        var n = layout.Candidates;
        output.Slice(4 * n, n).CopyTo(_bestScore);
        Array.Clear(_bestClass);
        var scores = MemoryMarshal.Cast<float, Vector<float>>(_bestScore.AsSpan());
        var classes = MemoryMarshal.Cast<int, Vector<int>>(_bestClass.AsSpan());
        var tail = scores.Length * Vector<float>.Count;
        for (var c = 1; c < layout.Classes; c++)
        {
            var row = output.Slice((4 + c) * n, n);
            var rowVectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            var classVector = new Vector<int>(c);
            for (var v = 0; v < scores.Length; v++)
            {
                var higher = Vector.GreaterThan(rowVectors[v], scores[v]);
                scores[v] = Vector.ConditionalSelect(higher, rowVectors[v], scores[v]);
                classes[v] = Vector.ConditionalSelect(higher, classVector, classes[v]);
            }

            for (var i = tail; i < n; i++)
            {
                if (row[i] > _bestScore[i])
                {
                    _bestScore[i] = row[i];
                    _bestClass[i] = c;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (_bestScore[i] >= minScore)
            {
                found.Add(new DetectedObject(Box.FromCentre(output[i], output[n + i], output[(2 * n) + i], output[(3 * n) + i]), _bestClass[i], _bestScore[i]));
            }
        }
    }
}
