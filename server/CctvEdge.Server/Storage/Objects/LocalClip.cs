namespace CctvEdge.Server.Storage.Objects;

/// <summary>A clip as a local file; when it is a temporary copy of a remote object, disposing deletes it.</summary>
internal sealed class LocalClip(string path, bool isCopy) : IAsyncDisposable
{
    /// <summary>Copies are named so the start-up sweep can tell them from part files (a crash may leave one).</summary>
    public const string Extension = ".copy";

    public string Path { get; } = path;

    public ValueTask DisposeAsync()
    {
        if (isCopy)
        {
            File.Delete(Path);
        }

        return ValueTask.CompletedTask;
    }
}
