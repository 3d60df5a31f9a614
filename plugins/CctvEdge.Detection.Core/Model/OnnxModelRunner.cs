using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>
/// A YOLO model in ONNX Runtime. Opening checks what can be checked before the first frame (the file, that ONNX
/// Runtime takes it, one image input [1, 3, H, W] of floats, a float output) and says plainly what is wrong, since
/// the installer brings the model and the message is all they get.
/// </summary>
internal sealed class OnnxModelRunner : IModelRunner
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape;

    private OnnxModelRunner(InferenceSession session, string input, string output, int width, int height, IReadOnlyList<long>? outputShape)
    {
        _session = session;
        _inputNames = [input];
        _outputNames = [output];
        (InputWidth, InputHeight, OutputShape) = (width, height, outputShape);
        _inputShape = [1, 3, height, width];
    }

    public int InputWidth { get; }

    public int InputHeight { get; }

    public IReadOnlyList<long>? OutputShape { get; }

    /// <param name="path">The .onnx file.</param>
    /// <param name="dynamicSize">The input side used when the model leaves it open.</param>
    /// <param name="threads">Threads for one inference: a node shares its few cores with ffmpeg and other cameras.</param>
    public static OnnxModelRunner Open(string path, int dynamicSize, int threads = 1)
    {
        if (!File.Exists(path))
        {
            throw new ModelException($"no model file at '{path}' (ModelPath): export one, e.g. yolo export model=yolov8n.pt format=onnx, and copy it to the node");
        }

        InferenceSession session;
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException($"'{path}' is not an ONNX model ONNX Runtime can load (corrupt, truncated or not ONNX): {FirstLine(ex.Message)}", ex);
        }

        try
        {
            return Describe(session, dynamicSize);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IModelOutput Run(float[] input)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, _inputShape);
        var outputs = _session.Run(_run, _inputNames, [tensor], _outputNames);
        return new Output(outputs);
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }

    private static OnnxModelRunner Describe(InferenceSession session, int dynamicSize)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
        {
            throw new ModelException($"the model has {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs; a YOLO detection model has one image input and a detection output");
        }

        var (inputName, input) = session.InputMetadata.First();
        var dims = input.Dimensions;
        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || dims.Length != 4 || dims[1] != 3 || dims[0] > 1)
        {
            throw new ModelException($"the model's input '{inputName}' is {input.ElementDataType} [{string.Join(", ", dims)}]; a YOLO detection model takes float [1, 3, H, W]");
        }

        var (outputName, output) = session.OutputMetadata.First();
        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float)
        {
            throw new ModelException($"the model's output '{outputName}' is {output.ElementDataType}; a YOLO detection model outputs floats");
        }

        var outputShape = output.Dimensions.All(d => d > 0) ? output.Dimensions.Select(d => (long)d).ToArray() : null;
        var height = dims[2] > 0 ? dims[2] : dynamicSize;
        var width = dims[3] > 0 ? dims[3] : dynamicSize;
        return new OnnxModelRunner(session, inputName, outputName, width, height, outputShape);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private sealed class Output(IDisposableReadOnlyCollection<OrtValue> values) : IModelOutput
    {
        public IReadOnlyList<long> Shape { get; } = values[0].GetTensorTypeAndShape().Shape;

        public ReadOnlySpan<float> Values => values[0].GetTensorDataAsSpan<float>();

        public void Dispose() => values.Dispose();
    }
}
