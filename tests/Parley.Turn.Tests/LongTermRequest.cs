using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>
/// Builds a request signed with a long-term credential (RFC 8489 §9.2): the attributes, then USERNAME (or USERHASH),
/// REALM and NONCE, PASSWORD-ALGORITHM when one is chosen, and MESSAGE-INTEGRITY(-SHA256) last. Only public STUN
/// types, so the server and browser tests can link this file too.
/// </summary>
internal static class LongTermRequest
{
    public static byte[] Build(StunMethod method, TransactionId id, string username, string password, string realm, string nonce,
        IStunSetter[] attributes, StunPasswordAlgorithm? algorithm = null, bool sha256Integrity = false, bool userHash = false)
    {
        byte[] key = StunKeys.LongTerm(username, realm, password, algorithm ?? StunPasswordAlgorithm.Md5);
        var buffer = new byte[2048];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), id);
        foreach (IStunSetter attribute in attributes)
        {
            writer.Add(attribute);
        }

        if (userHash)
        {
            writer.Add(new UserHash(StunKeys.UserHash(username, realm)));
        }
        else
        {
            writer.Add(new Username(username));
        }

        writer.Add(new Realm(realm));
        writer.Add(new Nonce(nonce));
        if (algorithm is { } chosen)
        {
            writer.Add(PasswordAlgorithms.Of(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5));
            writer.Add(new PasswordAlgorithm(chosen));
        }

        if (sha256Integrity)
        {
            writer.Add(new MessageIntegritySha256(key));
        }
        else
        {
            writer.Add(new MessageIntegrity(key));
        }

        Assert.False(writer.HasFailed, writer.Error.ToString());
        return writer.WrittenSpan.ToArray();
    }
}
