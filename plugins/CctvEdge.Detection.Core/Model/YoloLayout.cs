namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// Where a YOLO export puts its numbers. YOLOv5: [1, N, 5+C], a row per candidate (cx, cy, w, h, objectness, C class
/// scores). YOLOv8 and YOLO11: [1, 4+C, N], a row per value (no objectness). N (candidates: 8400 at 640) is always
/// far larger than 4+C, which tells the two apart without asking the user.
/// </summary>
internal sealed record YoloLayout(bool HasObjectness, int Candidates, int Classes)
{
    public string Name => HasObjectness ? "YOLOv5 [1, N, 5+C]" : "YOLOv8/YOLO11 [1, 4+C, N]";

    /// <summary>The layout of an output of <paramref name="shape"/>, or a message saying why it is no YOLO detection output.</summary>
    public static YoloLayout Recognise(IReadOnlyList<long> shape, int? classCount)
    {
        var text = "[" + string.Join(", ", shape) + "]";
        if (shape.Count != 3 || shape[0] != 1 || shape[1] <= 0 || shape[2] <= 0)
        {
            throw new ModelException($"the model's output is {text}; a YOLO detection model outputs [1, N, 5+C] (YOLOv5) or [1, 4+C, N] (YOLOv8/YOLO11). Segmentation, pose and classification exports are not detection models");
        }

        var (rows, columns) = ((int)shape[1], (int)shape[2]);
        var layout = columns > rows ? new YoloLayout(false, columns, rows - 4) : new YoloLayout(true, rows, columns - 5);
        if (layout.Classes < 1)
        {
            throw new ModelException($"the model's output {text} leaves no room for class scores in either YOLO layout");
        }

        if (classCount is { } expected && expected != layout.Classes)
        {
            throw new ModelException($"the model's output {text} is {layout.Name} with {layout.Classes} classes, but {expected} class names are configured (ClassNames; empty means the 80 COCO names)");
        }

        return layout;
    }
}
