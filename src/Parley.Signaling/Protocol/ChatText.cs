using System.Buffers;
using System.Globalization;
using System.Text;

namespace Parley.Signaling.Protocol;

/// <summary>
/// Validation of chat text: trimmed, NFC, bounded, and free of control characters other than line breaks
/// and tabs. Format characters stay allowed: emoji sequences need the zero-width joiner.
/// </summary>
public static class ChatText
{
    public static bool TryNormalize(string? raw, int maxLength, out string text, out ProtocolError error)
    {
        text = "";
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = ProtocolError.Invalid("A chat message needs some 'text'.");
            return false;
        }

        var span = raw.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var consumed) != OperationStatus.Done
                || (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control && rune.Value is not ('\n' or '\t')))
            {
                error = ProtocolError.Invalid("A chat message may not hold control characters other than line breaks and tabs.");
                return false;
            }

            span = span[consumed..];
        }

        var normalized = raw.Normalize(NormalizationForm.FormC).Trim();
        if (normalized.Length > maxLength)
        {
            error = ProtocolError.Invalid($"A chat message is limited to {maxLength} characters.");
            return false;
        }

        text = normalized;
        error = default;
        return true;
    }
}
