using CctvEdge.Node.Cameras;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Plugins.Sdk;

namespace CctvEdge.Node.Plugins;

/// <summary>
/// The colour feed of a plugin instance: its request joins the camera's colour demand (ffmpeg writes colour only
/// while there is one), and the camera's RGB24 frames reach it thinned and scaled to what it asked for.
/// </summary>
internal sealed partial class PluginInstance
{
    private ColorFeed? _color;

    private void AttachColorFeed(FrameRequest request)
    {
        var detect = _camera.Camera.Detect;
        var wanted = new ColorOutput(request.Width ?? detect.Width, request.Height ?? detect.Height, request.Fps ?? detect.Fps);
        var queue = _runner.AddQueue<SharedFrame>(
            QueueLength,
            nameof(IColorFrameAnalyzer.OnColorFrameAsync),
            (analyzer, frame, stop) => ((IColorFrameAnalyzer)analyzer).OnColorFrameAsync(_color!.ToColorFrame(frame), stop),
            release: frame => frame.Release());
        _color = new ColorFeed(this, wanted, queue);
        _camera.ColorFrames.Add(_color);
        _camera.ColorDemand.Add(this, wanted);
    }

    private void DetachColorFeed()
    {
        _camera.ColorDemand.Remove(this);
        if (_color is { } feed)
        {
            _camera.ColorFrames.Remove(feed);
        }
    }

    /// <summary>Takes the camera's colour frames for the instance; ffmpeg writes the largest size and rate any plugin asked for.</summary>
    private sealed class ColorFeed(PluginInstance owner, ColorOutput wanted, PluginQueue<SharedFrame> queue) : IFrameConsumer
    {
        // ffmpeg's colour rate is the highest any plugin asked for and changes as plugins come and go.
        private readonly RateThinner _thinner = new(wanted.Fps, sourceFps: null);
        private byte[]? _scaled;

        public void Offer(SharedFrame frame)
        {
            if (owner.State == InstanceState.Running && _thinner.Take(frame.Timestamp))
            {
                queue.Offer(frame.AddReference());
            }
        }

        public ColorFrame ToColorFrame(SharedFrame frame)
        {
            if (frame.Width == wanted.Width && frame.Height == wanted.Height)
            {
                return new ColorFrame(frame.Pixels, frame.Width, frame.Height, 3 * frame.Width, frame.Number, frame.Timestamp);
            }

            _scaled ??= new byte[3 * wanted.Width * wanted.Height];
            FrameScaler.Scale(frame.Pixels.Span, frame.Width, frame.Height, _scaled, wanted.Width, wanted.Height, channels: 3);
            return new ColorFrame(_scaled, wanted.Width, wanted.Height, 3 * wanted.Width, frame.Number, frame.Timestamp);
        }
    }
}
