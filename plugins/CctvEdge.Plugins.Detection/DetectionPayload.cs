namespace CctvEdge.Plugins.Detection;

/// <summary>
/// What a detection event carries. <see cref="Labels"/> follows the node's payload convention for detection labels
/// (README, "Detection labels"), so notification rules match on it: the object's label, and each of its alert types
/// as a label of its own (marked <see cref="DetectionLabel.Alert"/>), so a rule for "vehicle" or "intrusion" matches.
/// </summary>
/// <param name="Label">What the object is (a COCO name such as person or car).</param>
/// <param name="Score">Its best score, 0..1.</param>
/// <param name="Alerts">Its alert types (person, vehicle, intrusion), from the settings' map.</param>
/// <param name="Labels">The labels rules match on, each with the best box.</param>
/// <param name="Frames">Frames it was detected in so far.</param>
public sealed record DetectionPayload(string Label, double Score, IReadOnlyList<string> Alerts, IReadOnlyList<DetectionLabel> Labels, int Frames);

/// <summary>One label of a detection event.</summary>
/// <param name="Label">The label.</param>
/// <param name="Score">The score, 0..1.</param>
/// <param name="Box">x, y, width, height as fractions of the frame.</param>
/// <param name="Alert">True for an alert type rather than what the model saw.</param>
public sealed record DetectionLabel(string Label, double Score, IReadOnlyList<double> Box, bool Alert = false);
