using Google.Protobuf;

namespace CctvEdge.Plugins.Detection.Tests;

/// <summary>
/// Writes tiny ONNX models as protobuf by hand (field numbers from onnx.proto): an <c>images</c> input
/// [1, 3, H, W] and one output of fixed values, computed as <c>Add(Mul(ReduceMean(images), 0), constant)</c> so the
/// graph really reads its input while its output is exactly known. Enough of ONNX to stand in for a YOLO export.
/// </summary>
internal static class OnnxModelWriter
{
    private const int FloatType = 1;

    /// <summary>A model whose output, of <paramref name="outputShape"/>, is always <paramref name="values"/>.</summary>
    public static byte[] ConstantOutput(float[] values, long[] outputShape, int inputSize = 640, bool dynamicOutput = false)
    {
        var graph = Message(w =>
        {
            Node(w, "ReduceMean", ["images"], ["mean"], keepDims: 0);
            Node(w, "Mul", ["mean", "zero"], ["nothing"]);
            Node(w, "Add", ["nothing", "values"], ["output0"]);
            w.WriteString(2, "yolo-standin");
            w.WriteMessage(5, Tensor("zero", [], [0f]));
            w.WriteMessage(5, Tensor("values", outputShape, values));
            w.WriteMessage(11, ValueInfo("images", [1, 3, inputSize, inputSize], dynamic: false));
            w.WriteMessage(12, ValueInfo("output0", outputShape, dynamicOutput));
        });
        return Message(w =>
        {
            w.WriteInt64(1, 8); // ir_version
            w.WriteString(2, "CctvEdge tests");
            w.WriteMessage(7, graph);
            w.WriteMessage(8, Message(o => o.WriteInt64(2, 13))); // opset_import: the default domain, opset 13
        });
    }

    private static void Node(Writer w, string op, string[] inputs, string[] outputs, int? keepDims = null) =>
        w.WriteMessage(1, Message(n =>
        {
            foreach (var input in inputs)
            {
                n.WriteString(1, input);
            }

            foreach (var output in outputs)
            {
                n.WriteString(2, output);
            }

            n.WriteString(4, op);
            if (keepDims is { } keep)
            {
                n.WriteMessage(5, Message(a =>
                {
                    a.WriteString(1, "keepdims");
                    a.WriteInt64(3, keep);
                    a.WriteInt64(20, 2); // AttributeType.INT
                }));
            }
        }));

    private static byte[] Tensor(string name, long[] dims, float[] values) => Message(t =>
    {
        foreach (var d in dims)
        {
            t.WriteInt64(1, d);
        }

        t.WriteInt64(2, FloatType);
        t.WriteString(8, name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        t.WriteBytes(9, raw); // raw_data, little-endian
    });

    private static byte[] ValueInfo(string name, long[] shape, bool dynamic) => Message(v =>
    {
        v.WriteString(1, name);
        v.WriteMessage(2, Message(type => type.WriteMessage(1, Message(tensor =>
        {
            tensor.WriteInt64(1, FloatType);
            tensor.WriteMessage(2, Message(s =>
            {
                for (var i = 0; i < shape.Length; i++)
                {
                    s.WriteMessage(1, Message(d =>
                    {
                        if (dynamic && i > 0)
                        {
                            d.WriteString(2, $"d{i}");
                        }
                        else
                        {
                            d.WriteInt64(1, shape[i]);
                        }
                    }));
                }
            }));
        }))));
    });

    private static byte[] Message(Action<Writer> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(new Writer(output));
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>Field writers over CodedOutputStream: a tag, then the value.</summary>
    private sealed class Writer(CodedOutputStream output)
    {
        public void WriteInt64(int field, long value)
        {
            output.WriteTag(field, WireFormat.WireType.Varint);
            output.WriteInt64(value);
        }

        public void WriteString(int field, string value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }

        public void WriteBytes(int field, byte[] value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(value));
        }

        public void WriteMessage(int field, byte[] message) => WriteBytes(field, message);
    }
}
