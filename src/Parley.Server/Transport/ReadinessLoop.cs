using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Server.Transport;

/// <summary>
/// One thread that waits, with epoll, for any idle chat connection to become readable, and hands each
/// readable one to the thread pool. It replaces a posted zero-byte receive per connection: .NET's posted
/// receive keeps a <see cref="SocketAsyncEventArgs"/>, a receive operation and a callback alive per idle
/// connection (about 0.4 KiB), where this keeps one slot (12 bytes).
/// </summary>
/// <remarks>
/// Each wait is one-shot (<c>EPOLLONESHOT</c>), so a connection is handed over once per wait and never to two
/// threads. A connection is known to the loop by a key, its slot and the slot's generation: an event that
/// arrives after the connection gave up its slot finds another generation there and is dropped, so a late
/// event can never reach the wrong connection. The file descriptor is only used while its handle is held
/// (<see cref="SafeHandle.DangerousAddRef"/>), so a closed and reused descriptor is never armed by mistake.
/// Linux on 64-bit only; elsewhere <see cref="Shared"/> is null and connections post zero-byte receives.
/// </remarks>
internal sealed class ReadinessLoop
{
    private const int MaxEvents = 256;

    private static readonly Lazy<ReadinessLoop?> s_shared = new(Start);

    private readonly int _epoll;
    private readonly Lock _gate = new();
    private SocketInput?[] _slots = new SocketInput?[256];
    private uint[] _generations = new uint[256];
    private int[] _free = new int[256];
    private int _freeCount;
    private int _used;

    private ReadinessLoop(int epoll) => _epoll = epoll;

    /// <summary>The process's loop, started on first use; null where epoll is not available.</summary>
    public static ReadinessLoop? Shared => s_shared.Value;

    /// <summary>A key for <paramref name="input"/>: its slot until <see cref="Unregister"/>.</summary>
    public long Register(SocketInput input)
    {
        lock (_gate)
        {
            int slot;
            if (_freeCount > 0)
            {
                slot = _free[--_freeCount];
            }
            else
            {
                if (_used == _slots.Length)
                {
                    Array.Resize(ref _slots, _slots.Length * 2);
                    Array.Resize(ref _generations, _generations.Length * 2);
                    Array.Resize(ref _free, _free.Length * 2);
                }

                slot = _used++;
            }

            _slots[slot] = input;
            return ((long)_generations[slot] << 32) | (uint)slot;
        }
    }

    public void Unregister(long key)
    {
        var slot = (int)(uint)key;
        lock (_gate)
        {
            if (_generations[slot] != (uint)(key >> 32))
            {
                return;
            }

            _slots[slot] = null;
            _generations[slot]++;
            _free[_freeCount++] = slot;
        }
    }

    /// <summary>
    /// Waits, once, for <paramref name="socket"/> to become readable (or to end); the connection registered under
    /// <paramref name="key"/> is then run on the thread pool. Otherwise says why it cannot wait: the socket is
    /// already closed (<see cref="SocketError.OperationAborted"/>), or epoll refused it (out of watches or memory),
    /// which ends that one connection rather than the process.
    /// </summary>
    /// <param name="added">Whether the socket is in the epoll set yet; set on the first successful wait.</param>
    public unsafe SocketError Arm(long key, Socket socket, ref bool added)
    {
        SafeSocketHandle handle;
        try
        {
            handle = socket.SafeHandle;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }

        var held = false;
        try
        {
            handle.DangerousAddRef(ref held);
            var fd = (int)handle.DangerousGetHandle();
            Span<byte> ev = stackalloc byte[16];
            Epoll.WriteEvent(ev, Epoll.In | Epoll.RdHup | Epoll.OneShot, (ulong)key);
            fixed (byte* e = ev)
            {
                var operation = added ? Epoll.Modify : Epoll.Add;
                if (Epoll.Control(_epoll, operation, fd, e) == 0)
                {
                    added = true;
                    return SocketError.Success;
                }

                // The descriptor's registration went with an earlier close of the same number, or was never made.
                var errno = Marshal.GetLastPInvokeError();
                operation = errno == Epoll.AlreadyRegistered ? Epoll.Modify : errno == Epoll.NotRegistered ? Epoll.Add : 0;
                if (operation != 0 && Epoll.Control(_epoll, operation, fd, e) == 0)
                {
                    added = true;
                    return SocketError.Success;
                }

                return new SocketException(Marshal.GetLastPInvokeError()).SocketErrorCode;
            }
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
        finally
        {
            if (held)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static ReadinessLoop? Start()
    {
        if (!Epoll.IsSupported)
        {
            return null;
        }

        int epoll;
        try
        {
            epoll = Epoll.Create(Epoll.CloseOnExec);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (epoll < 0)
        {
            return null;
        }

        var loop = new ReadinessLoop(epoll);
        new Thread(loop.Run) { IsBackground = true, Name = "Parley readiness" }.Start();
        return loop;
    }

    private unsafe void Run()
    {
        var size = Epoll.EventSize;
        var events = new byte[MaxEvents * size];
        fixed (byte* buffer = events)
        {
            while (true)
            {
                var n = Epoll.Wait(_epoll, buffer, MaxEvents, -1);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Epoll.Interrupted)
                    {
                        continue;
                    }

                    throw new SocketException(Marshal.GetLastPInvokeError());
                }

                for (var i = 0; i < n; i++)
                {
                    var key = (long)Epoll.ReadData(events.AsSpan(i * size, size));
                    if (Find(key) is { } input)
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(input, preferLocal: false);
                    }
                }
            }
        }
    }

    /// <summary>The connection registered under <paramref name="key"/>; null once it gave the slot up.</summary>
    internal SocketInput? Find(long key)
    {
        var slot = (int)(uint)key;
        lock (_gate)
        {
            return slot < _used && _generations[slot] == (uint)(key >> 32) ? _slots[slot] : null;
        }
    }
}
