using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>A server under test in its own process: started, waited for (<c>/health</c>), its CPU time read, and stopped.</summary>
internal sealed class ChildServer : IDisposable
{
    private readonly Process _process;

    private ChildServer(string name, Process process, Uri url)
    {
        Name = name;
        _process = process;
        Url = url;
    }

    public string Name { get; }

    public Uri Url { get; }

    /// <summary>CPU time (user + system) the process has used so far (Linux: /proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/> --urls …</c> on a free loopback
    /// port and waits until it answers. The port is probed here and bound by the child later, so
    /// another process may take it in between (an outgoing connection's local port comes from the
    /// same range): a child that exits for that reason is started again on another port.
    /// </summary>
    public static async Task<ChildServer> StartAsync(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(name, dll, args, environment);
            }
            catch (PortTakenException) when (attempt < attempts)
            {
            }
        }
    }

    private static async Task<ChildServer> StartOnFreePortAsync(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: could not start dotnet {dll}");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildServer(name, process, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                // Waiting once more drains the output handlers, so the reason is in the text.
                process.WaitForExit();
                var exitCode = process.ExitCode;
                child.Dispose();
                lock (output)
                {
                    var text = output.ToString();
                    if (text.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new PortTakenException($"{name}: port {port} was taken before it could listen:\n{text}");
                    }
                    throw new InvalidOperationException($"{name} exited with {exitCode} at start:\n{text}");
                }
            }
            try
            {
                using var health = await http.GetAsync(new Uri(url, "/health"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return child;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            if (DateTime.UtcNow > deadline)
            {
                child.Dispose();
                throw new TimeoutException($"{name} did not answer /health within 60 s");
            }
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>The child could not listen on the port it was given: someone took it after it was probed.</summary>
internal sealed class PortTakenException(string message) : InvalidOperationException(message);
