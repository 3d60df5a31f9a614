namespace CctvEdge.Web.Services;

/// <summary>A saved group of cameras ("Barn", "Gates"), shown as tiles in its own order on the live grid and the wall.</summary>
public sealed record CameraGroup(long Id, string Name, IReadOnlyList<CameraKey> Cameras, string UpdatedBy, DateTimeOffset Updated);

/// <summary>The live page's saved groups: everyone picks them; admins save and delete them.</summary>
public interface ICameraGroups
{
    /// <summary>Every group, by name.</summary>
    Task<IReadOnlyList<CameraGroup>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates a group (<paramref name="id"/> null) or replaces an existing one's name and cameras. Returns the saved
    /// group, or null with what is wrong: a name that is empty, too long or taken, no camera, an unknown camera.
    /// </summary>
    Task<(CameraGroup? Group, string? Problem)> SaveAsync(long? id, string name, IReadOnlyList<CameraKey> cameras, CancellationToken cancellationToken);

    /// <summary>False when the group was already gone.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);
}
