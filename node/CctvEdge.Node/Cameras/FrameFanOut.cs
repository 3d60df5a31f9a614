namespace CctvEdge.Node.Cameras;

/// <summary>Something that takes frames from a camera; it must never block the camera.</summary>
internal interface IFrameConsumer
{
    /// <summary>Takes the frame (adding a reference) or drops it at once when busy.</summary>
    void Offer(SharedFrame frame);
}

/// <summary>Hands each frame of a camera to its consumers; consumers come and go while frames flow.</summary>
internal sealed class FrameFanOut
{
    private IFrameConsumer[] _consumers = [];

    public void Add(IFrameConsumer consumer) => Update(list => [.. list, consumer]);

    public void Remove(IFrameConsumer consumer) => Update(list => [.. list.Where(c => c != consumer)]);

    /// <summary>Offers the frame to every consumer; one consumer's failure never reaches the camera or the others.</summary>
    public void Dispatch(SharedFrame frame)
    {
        foreach (var consumer in Volatile.Read(ref _consumers))
        {
            try
            {
                consumer.Offer(frame);
            }
            catch (Exception ex)
            {
                ConsumerFailed?.Invoke(consumer, ex);
            }
        }
    }

    /// <summary>Raised when a consumer throws from <see cref="IFrameConsumer.Offer"/>.</summary>
    public event Action<IFrameConsumer, Exception>? ConsumerFailed;

    private void Update(Func<IFrameConsumer[], IFrameConsumer[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _consumers);
            if (Interlocked.CompareExchange(ref _consumers, change(current), current) == current)
            {
                return;
            }
        }
    }
}
