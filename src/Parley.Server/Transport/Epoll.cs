using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Server.Transport;

/// <summary>The three epoll calls the <see cref="ReadinessLoop"/> needs, on 64-bit Linux.</summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint RdHup = 0x2000;
    public const uint OneShot = 1u << 30;
    public const int Add = 1;
    public const int Modify = 3;
    public const int CloseOnExec = 0x80000;
    public const int Interrupted = 4;
    public const int AlreadyRegistered = 17;
    public const int NotRegistered = 2;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes on arm64).
    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static int EventSize => s_packed ? 12 : 16;

    public static void WriteEvent(Span<byte> at, uint events, ulong data)
    {
        Unsafe.WriteUnaligned(ref at[0], events);
        Unsafe.WriteUnaligned(ref at[s_packed ? 4 : 8], data);
    }

    public static ulong ReadData(ReadOnlySpan<byte> at) => Unsafe.ReadUnaligned<ulong>(in at[s_packed ? 4 : 8]);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int Control(int epoll, int operation, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int Wait(int epoll, byte* events, int maxEvents, int timeoutMs);
}
