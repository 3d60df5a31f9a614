using CctvEdge.Plugins.Detection.Internal.Configuration;

namespace CctvEdge.Plugins.Detection.Internal.Model;

/// <summary>Opens the backend the settings name, the same way on a node and on the server.</summary>
internal static class Detectors
{
    /// <summary>
    /// The detector for <paramref name="settings"/>: OpenCV's HOG people detector or a YOLO model opened by
    /// <paramref name="openModel"/>. A model that is missing or wrong, or a backend that cannot run on this machine,
    /// is a <see cref="DetectionSettingsException"/> naming the setting.
    /// </summary>
    public static IObjectDetector Open(DetectionSettings settings, IReadOnlyList<string> names, ObjectRules rules, Func<DetectionSettings, IModelRunner> openModel) =>
        string.Equals(settings.Backend, DetectionRules.HogBackend, StringComparison.OrdinalIgnoreCase)
            ? OpenHog(names)
            : OpenPipeline(settings, names, rules, openModel);

    /// <summary>Opens the settings' YOLO model with ONNX Runtime.</summary>
    public static IModelRunner OpenOnnx(DetectionSettings settings) => OnnxModelRunner.Open(settings.ModelPath, settings.InputSize);

    /// <summary>The class names in force: the configured ones, or COCO's 80.</summary>
    public static IReadOnlyList<string> Names(DetectionSettings settings) => settings.ClassNames.Count > 0 ? settings.ClassNames : CocoNames.All;

    private static DetectionPipeline OpenPipeline(DetectionSettings settings, IReadOnlyList<string> names, ObjectRules rules, Func<DetectionSettings, IModelRunner> openModel)
    {
        IModelRunner runner;
        try
        {
            runner = openModel(settings);
        }
        catch (ModelException ex)
        {
            throw DetectionRules.Invalid(nameof(settings.ModelPath), ex.Message);
        }

        try
        {
            return new DetectionPipeline(runner, names.Count, rules.LowestScore, (float)settings.NmsIou);
        }
        catch (ModelException ex)
        {
            runner.Dispose();
            throw DetectionRules.Invalid(nameof(settings.ModelPath), ex.Message);
        }
    }

    /// <summary>OpenCV's people detector reports class "person" of the labels in force.</summary>
    private static HogPeopleDetector OpenHog(IReadOnlyList<string> names)
    {
        var person = names.ToList().FindIndex(n => string.Equals(n, "person", StringComparison.OrdinalIgnoreCase));
        if (person < 0)
        {
            throw DetectionRules.Invalid(nameof(DetectionSettings.ClassNames), "must include person: opencv-hog finds people only");
        }

        try
        {
            return HogPeopleDetector.Open(person);
        }
        catch (ModelException ex)
        {
            throw DetectionRules.Invalid(nameof(DetectionSettings.Backend), "'opencv-hog' cannot run here: " + ex.Message);
        }
    }
}
