using System.Text.Json.Serialization;

namespace CctvEdge.Web.Services;

/// <summary>Bounds the page and the REST API share.</summary>
public static class SiteMapLimits
{
    /// <summary>A phone photo of a paper plan fits; a plan larger than this would be slow to open on a 4G phone.</summary>
    public const int MaxPlanBytes = 10 * 1024 * 1024;
}

/// <summary>What a pin's colour says.</summary>
public static class MapPinStatus
{
    /// <summary>The device's node is connected and the device works.</summary>
    public const string Online = "online";

    /// <summary>The node is not connected, or the device failed, stopped or is no longer reported.</summary>
    public const string Offline = "offline";

    /// <summary>Online, with an event that started within the recent window.</summary>
    public const string Event = "event";
}

/// <summary>A map in a list: which site it plans and whether it has a plan image.</summary>
public sealed record SiteMapSummary(long Id, string Site, string Name, string? ImageUrl, string UpdatedBy, DateTimeOffset Updated);

/// <summary>A map with its pins and their status now.</summary>
public sealed record SiteMapView(long Id, string Site, string Name, string? ImageUrl, IReadOnlyList<MapPinView> Pins, string UpdatedBy, DateTimeOffset Updated);

/// <summary>
/// A pin as the map shows it. <see cref="X"/> and <see cref="Y"/> are fractions (0..1) of the plan's width and height.
/// <see cref="Camera"/> or <see cref="Sensor"/> is set, following <see cref="Kind"/>, as in the pins an admin puts.
/// </summary>
public sealed record MapPinView(
    string Kind,
    string Node,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Camera,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sensor,
    double X,
    double Y,
    string Name,
    string Status,
    DateTimeOffset? LastEvent,
    long? LatestEventId,
    string? LivePath)
{
    /// <summary>The camera or sensor id.</summary>
    [JsonIgnore]
    public string Device => Camera ?? Sensor ?? "";

    /// <summary>Where "Latest event" opens, when the device has one.</summary>
    [JsonIgnore]
    public string? EventPath => LatestEventId is { } id ? $"player/{id}" : null;
}

/// <summary>A pin to save: a node's camera or sensor at a spot on the plan.</summary>
public sealed record MapPin(string Kind, string Node, string Device, double X, double Y);

/// <summary>A camera or sensor an admin can pin, with the site of its node.</summary>
public sealed record MapDevice(string Kind, string Node, string Device, string Name, string Site);

/// <summary>The site map page's maps: everyone views them; admins create, rename, delete, upload plans and place pins.</summary>
public interface ISiteMaps
{
    /// <summary>The maps of <paramref name="site"/> (every site when null), by site then name.</summary>
    Task<IReadOnlyList<SiteMapSummary>> ListAsync(string? site, CancellationToken cancellationToken);

    /// <summary>A map with its pins; a pin shows <see cref="MapPinStatus.Event"/> when its latest event started within <paramref name="recent"/>. Null for an unknown id.</summary>
    Task<SiteMapView?> GetAsync(long id, TimeSpan recent, CancellationToken cancellationToken);

    /// <summary>The cameras and sensors that can be pinned, of <paramref name="site"/>'s nodes (every node when null).</summary>
    Task<IReadOnlyList<MapDevice>> DevicesAsync(string? site, CancellationToken cancellationToken);

    /// <summary>Creates (<paramref name="id"/> null) or renames a map; the saved map's id, or null with what is wrong.</summary>
    Task<(long? Id, string? Problem)> SaveAsync(long? id, string site, string name, CancellationToken cancellationToken);

    /// <summary>False when the map was already gone.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>Stores a PNG or JPEG plan read from <paramref name="image"/>, or clears it (null: blank canvas); null, or what is wrong.</summary>
    Task<string?> SetImageAsync(long id, Stream? image, CancellationToken cancellationToken);

    /// <summary>Replaces the map's pins; null, or what is wrong.</summary>
    Task<string?> SetPinsAsync(long id, IReadOnlyList<MapPin> pins, CancellationToken cancellationToken);
}
