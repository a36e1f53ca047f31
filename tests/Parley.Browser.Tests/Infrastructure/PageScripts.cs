namespace Parley.Browser.Tests.Infrastructure;

/// <summary>Init scripts (<c>AddInitScriptAsync</c>) that let a test reach what the page keeps to itself.</summary>
public static class PageScripts
{
    /// <summary>Keeps every RTCPeerConnection the page makes in <c>window.__peerConnections</c>.</summary>
    public const string RecordPeerConnections = """
        (() => {
          const Native = window.RTCPeerConnection;
          window.__peerConnections = [];
          window.RTCPeerConnection = class extends Native {
            constructor(config) {
              super(config);
              window.__peerConnections.push(this);
            }
          };
        })();
        """;

    /// <summary>
    /// A network that breaks WebSockets, as proxies that strip <c>Upgrade</c> do: the constructor throws, so the page
    /// can only signal over HTTP.
    /// </summary>
    public const string BlockWebSockets = """
        window.WebSocket = class {
          constructor() { throw new DOMException('WebSockets are blocked on this network (test)', 'SecurityError'); }
        };
        """;
}
