namespace Parley.Server.Tests;

/// <summary>A theory's transports: each test runs over a WebSocket, an event stream with POSTs, and long polls with POSTs.</summary>
public sealed class AllTransports : TheoryData<string>
{
    public AllTransports()
    {
        Add("websocket");
        Add("sse");
        Add("long-poll");
    }
}
