using System.Net.Sockets;

namespace Parley.Turn.Sockets;

/// <summary>
/// Holds a socket's fd number for an operation the kernel carries out later (an io_uring entry): the handle's reference
/// keeps the fd open, so a socket another thread closes meanwhile cannot have its number reused by a new socket.
/// </summary>
internal static class SocketReference
{
    /// <summary>References <paramref name="socket"/>'s handle; false if it is closed. Release with <see cref="SafeSocketHandle.DangerousRelease"/>.</summary>
    public static bool TryAdd(Socket socket, out SafeSocketHandle handle, out int fd)
    {
        handle = null!;
        fd = -1;
        bool added = false;
        try
        {
            handle = socket.SafeHandle;
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        fd = (int)handle.DangerousGetHandle();
        return added;
    }
}
