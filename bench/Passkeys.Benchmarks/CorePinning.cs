using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Passkeys.Benchmarks;

/// <summary>
/// Pins the whole process to core 0. On Linux, Process.ProcessorAffinity sets the affinity of the
/// main thread only (sched_setaffinity on the process id); the runtime's own threads (finalizer,
/// tiered JIT) keep both cores, so work a contender leaves to them (finalizing undisposed keys,
/// say) would run for free on the other core. Every thread in /proc/self/task is pinned as well.
/// </summary>
internal static partial class CorePinning
{
    public static string PinToCore0()
    {
        try
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
            {
                return "not pinned (unsupported OS)";
            }
            Process.GetCurrentProcess().ProcessorAffinity = 1;
            if (!OperatingSystem.IsLinux())
            {
                return "core 0 (ProcessorAffinity = 1)";
            }
            int pinned = 0, total = 0;
            foreach (string task in Directory.GetDirectories("/proc/self/task"))
            {
                total++;
                ulong mask = 1;
                if (int.TryParse(Path.GetFileName(task), out int tid) && SchedSetAffinity(tid, sizeof(ulong), ref mask) == 0)
                {
                    pinned++;
                }
            }
            return $"core 0 (ProcessorAffinity = 1; {pinned}/{total} threads pinned)";
        }
        catch (Exception e) when (e is PlatformNotSupportedException or System.ComponentModel.Win32Exception or InvalidOperationException
            or IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $"not pinned ({e.GetType().Name})";
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint cpusetsize, ref ulong mask);
}
