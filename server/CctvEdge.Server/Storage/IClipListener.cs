namespace CctvEdge.Server.Storage;

/// <summary>Hears of each uploaded clip once it is stored and verified; must not wait (it runs on the upload's call).</summary>
internal interface IClipListener
{
    void OnClipStored(ClipRow clip);
}
