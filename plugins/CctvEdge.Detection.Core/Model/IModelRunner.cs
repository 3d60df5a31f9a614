namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>Runs a detection model on one input tensor; a seam so pre- and post-processing are tested and measured without ONNX.</summary>
internal interface IModelRunner : IDisposable
{
    int InputWidth { get; }

    int InputHeight { get; }

    /// <summary>The output's shape when the model fixes it (null when any dimension is dynamic).</summary>
    IReadOnlyList<long>? OutputShape { get; }

    /// <summary>Runs the model on [1, 3, InputHeight, InputWidth]; the output is valid until disposed.</summary>
    IModelOutput Run(float[] input);
}

/// <summary>A model output tensor.</summary>
internal interface IModelOutput : IDisposable
{
    IReadOnlyList<long> Shape { get; }

    ReadOnlySpan<float> Values { get; }
}
