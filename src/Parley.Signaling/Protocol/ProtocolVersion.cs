namespace Parley.Signaling.Protocol;

/// <summary>The signaling protocol versions this server speaks (docs/protocol.md).</summary>
public static class ProtocolVersion
{
    /// <summary>The version this server announces in <c>hello</c> and answers in <c>joined</c>.</summary>
    public const int Current = 1;

    public static bool IsSupported(int version) => version == Current;
}
