using System.Globalization;
using System.Text;

namespace Parley.Signaling.Protocol;

/// <summary>
/// Validation of room and display names (docs/protocol.md, "Names"). Both are trimmed and normalised to
/// NFC first, so two spellings of one name that look the same compare the same.
/// </summary>
public static class NameRules
{
    public static bool TryNormalizeRoomName(string? raw, int maxLength, out string name, out ProtocolError error)
    {
        if (!TryNormalize(raw, maxLength, "room name", ErrorCode.InvalidRoom, out name, out error))
        {
            return false;
        }

        var previousWasSpace = false;
        foreach (var rune in name.EnumerateRunes())
        {
            var isSpace = rune.Value == ' ';
            if (!(IsLetterDigitOrMark(rune) || isSpace || rune.Value is '-' or '_' or '.' or '~') || (isSpace && previousWasSpace))
            {
                error = new ProtocolError(ErrorCode.InvalidRoom,
                    "A room name may hold letters, digits, single spaces and - _ . ~ only.");
                name = "";
                return false;
            }

            previousWasSpace = isSpace;
        }

        return true;
    }

    public static bool TryNormalizeDisplayName(string? raw, int maxLength, out string name, out ProtocolError error)
    {
        if (!TryNormalize(raw, maxLength, "display name", ErrorCode.InvalidName, out name, out error))
        {
            return false;
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                error = new ProtocolError(ErrorCode.InvalidName,
                    $"A display name may not hold control, formatting or unassigned characters (found U+{rune.Value:X4}).");
                name = "";
                return false;
            }
        }

        return true;
    }

    private static bool TryNormalize(string? raw, int maxLength, string what, string code, out string name, out ProtocolError error)
    {
        name = "";
        if (raw is null)
        {
            error = new ProtocolError(code, $"A {what} is required.");
            return false;
        }

        // Lone surrogates are never a real name, and would render as U+FFFD.
        if (!IsWellFormedUtf16(raw) || !TryNormalizeNfc(raw, out raw))
        {
            error = new ProtocolError(code, $"The {what} is not valid Unicode text.");
            return false;
        }

        var trimmed = raw.Trim();
        if (trimmed.Length == 0 || trimmed.Length > maxLength)
        {
            error = new ProtocolError(code, $"A {what} must be 1 to {maxLength} characters long.");
            return false;
        }

        name = trimmed;
        error = default;
        return true;
    }

    private static bool IsWellFormedUtf16(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }

    private static bool TryNormalizeNfc(string raw, out string normalized)
    {
        try
        {
            normalized = raw.IsNormalized(NormalizationForm.FormC) ? raw : raw.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            normalized = raw;
            return false;
        }
    }

    private static bool IsLetterDigitOrMark(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };
}
