namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>The model cannot be used: missing, not ONNX, or not a YOLO detection model. The message says which.</summary>
internal sealed class ModelException : Exception
{
    public ModelException()
    {
    }

    public ModelException(string message)
        : base(message)
    {
    }

    public ModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
