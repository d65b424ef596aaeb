namespace AidTracker.Api.Http;

/// <summary>
/// A request body that must arrive by a deadline, counted from the start of the request: <c>Limits:RequestTimeoutMilliseconds</c>,
/// or what the endpoint sets with <see cref="Extend"/> (imports). Past it, every read fails with a 408
/// <see cref="BadHttpRequestException"/> that names the limit, so a client that trickles its body cannot hold a request
/// open. Kestrel's own minimum data rate (240 B/s after a 5 s grace) lets a body at 300 B/s take as long as it likes.
/// </summary>
/// <remarks>
/// <see cref="UseOn"/> puts it in front of the body; <see cref="Hardening"/> answers a request whose body it cut with the
/// 408 problem when the reader (minimal APIs' JSON binding) swallowed the exception.
/// </remarks>
public sealed class BodyDeadline : Stream
{
    private readonly Stream _inner;
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly CancellationTokenSource _timer;
    private TimeSpan _limit;
    private string _setting;

    private BodyDeadline(Stream inner, TimeSpan limit, string setting, TimeProvider clock)
    {
        _inner = inner;
        _clock = clock;
        _started = clock.GetTimestamp();
        _limit = limit;
        _setting = setting;
        _timer = new CancellationTokenSource(limit, clock);
    }

    /// <summary>Puts a deadline in front of the body of <paramref name="http"/>, when it can have one.</summary>
    public static void UseOn(HttpContext http, TimeSpan limit, string setting, TimeProvider clock)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }) return;
        var body = new BodyDeadline(http.Request.Body, limit, setting, clock);
        http.Request.Body = body;
        http.Features.Set(body);
        http.Response.RegisterForDispose(body);
    }

    /// <summary>Whether a read came after the deadline, and failed.</summary>
    public bool Expired { get; private set; }

    /// <summary>What the 408 says.</summary>
    public string Detail => $"The request body did not arrive within {Describe(_limit)} of the request's start ({_setting}): it came too slowly, and the request was stopped. Send it again at full speed.";

    /// <summary>Gives the body <paramref name="limit"/> from the request's start instead (an upload of a large file).</summary>
    public void Extend(TimeSpan limit, string setting)
    {
        _limit = limit;
        _setting = setting;
        var left = limit - _clock.GetElapsedTime(_started);
        if (!_timer.IsCancellationRequested) _timer.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_timer.IsCancellationRequested) throw TimedOut();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        try
        {
            return await _inner.ReadAsync(buffer, either.Token);
        }
        catch (OperationCanceledException) when (_timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private BadHttpRequestException TimedOut()
    {
        Expired = true;
        return new BadHttpRequestException(Detail, StatusCodes.Status408RequestTimeout);
    }

    private string Describe(TimeSpan limit) =>
        _setting.EndsWith("Seconds", StringComparison.Ordinal) ? $"{limit.TotalSeconds:N0} s" : $"{limit.TotalMilliseconds:N0} ms";

    // Kestrel refuses synchronous reads (AllowSynchronousIO is off); they keep that answer.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _timer.Dispose();
        base.Dispose(disposing);
    }
}
