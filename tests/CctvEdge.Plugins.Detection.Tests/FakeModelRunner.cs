using CctvEdge.Plugins.Detection.Internal.Model;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>A model whose output for each call comes from <paramref name="outputs"/> (by call number); counts its calls.</summary>
internal sealed class FakeModelRunner(Func<int, IReadOnlyList<Candidate>> outputs) : IModelRunner
{
    public int Calls { get; private set; }

    public int InputWidth => 640;

    public int InputHeight => 640;

    public IReadOnlyList<long>? OutputShape => YoloOutputs.V8([]).Shape;

    public IModelOutput Run(float[] input)
    {
        var (values, shape) = YoloOutputs.V8(outputs(Calls++));
        return new Output(values, shape);
    }

    public void Dispose()
    {
    }

    private sealed class Output(float[] values, long[] shape) : IModelOutput
    {
        public IReadOnlyList<long> Shape => shape;

        public ReadOnlySpan<float> Values => values;

        public void Dispose()
        {
        }
    }
}
