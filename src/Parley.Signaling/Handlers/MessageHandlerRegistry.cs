using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Parley.Signaling.Handlers;

/// <summary>Finds the handler for a message type.</summary>
public sealed class MessageHandlerRegistry(IEnumerable<IMessageHandler> handlers)
{
    private readonly FrozenDictionary<string, IMessageHandler> byType = handlers.ToFrozenDictionary(handler => handler.Type, StringComparer.Ordinal);

    public IEnumerable<string> Types => byType.Keys;

    public bool TryGet(string type, [NotNullWhen(true)] out IMessageHandler? handler) => byType.TryGetValue(type, out handler);
}
