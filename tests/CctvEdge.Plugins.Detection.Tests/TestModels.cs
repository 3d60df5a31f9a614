namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>Model files for one test, in a folder removed with it.</summary>
internal sealed class TestModels : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("cctvedge-detection-").FullName;

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string V8(params Candidate[] candidates)
    {
        var (values, shape) = YoloOutputs.V8(candidates);
        return Write("v8.onnx", OnnxModelWriter.ConstantOutput(values, shape));
    }

    public string V5(params Candidate[] candidates)
    {
        var (values, shape) = YoloOutputs.V5(candidates);
        return Write("v5.onnx", OnnxModelWriter.ConstantOutput(values, shape));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
