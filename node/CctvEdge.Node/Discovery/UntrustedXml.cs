using System.Xml;
using System.Xml.Linq;

namespace CctvEdge.Node.Discovery;

/// <summary>XML from the network (a camera's discovery answer or SOAP reply): no DTD (so no entity bombs), a size limit.</summary>
internal static class UntrustedXml
{
    public const int MaxChars = 1 << 20;

    /// <summary>The document, or null when it is not well-formed XML within the limit.</summary>
    public static XDocument? Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxChars };
            using var reader = XmlReader.Create(new MemoryStream(bytes.ToArray()), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
