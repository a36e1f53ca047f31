namespace Parley.Turn.Tests;

/// <summary>
/// Every interop test again with <c>Turn:UdpEventLoops</c> false: UDP through the portable async receive loops
/// (listener and relay sockets) that Windows, macOS and other architectures run, which the event loop replaces here.
/// </summary>
public sealed class PortableLoopInteropTests : InteropTests
{
    protected override bool UdpEventLoops => false;
}

/// <summary>
/// Every interop test again with <c>Turn:IoUring</c> false: the event loops' sends and reads with one system call
/// each, as on a kernel or in a sandbox that refuses io_uring.
/// </summary>
public sealed class SystemCallLoopInteropTests : InteropTests
{
    protected override bool IoUring => false;
}
