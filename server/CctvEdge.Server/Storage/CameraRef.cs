namespace CctvEdge.Server.Storage;

/// <summary>A camera as the store keys its rows: by node and camera id; node-wide rows (loss reports) have an empty camera id.</summary>
internal readonly record struct CameraRef(string NodeId, string CameraId);
