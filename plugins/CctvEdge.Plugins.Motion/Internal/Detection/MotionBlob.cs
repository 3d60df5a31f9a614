namespace CctvEdge.Plugins.Motion.Internal.Detection;

/// <summary>A connected region of changed pixels that passed the area limits, in detection-grid pixels.</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Area">Changed pixels in the region.</param>
/// <param name="Zones">Bit i set when the region touches zone i.</param>
internal readonly record struct MotionBlob(int X, int Y, int Width, int Height, int Area, ulong Zones) : IComparable<MotionBlob>
{
    /// <summary>Largest first.</summary>
    public int CompareTo(MotionBlob other) => other.Area.CompareTo(Area);
}
