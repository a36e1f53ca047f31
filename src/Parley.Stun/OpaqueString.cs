using System.Globalization;
using System.Text;

namespace Parley.Stun;

/// <summary>
/// The PRECIS OpaqueString profile (RFC 8265 §4.2) that RFC 8489 applies to usernames, realms and
/// passwords: non-ASCII spaces map to U+0020, no case or width mapping, Unicode NFC, and the FreeformClass
/// (RFC 8264 §4.3) enforced; the empty string is disallowed.
/// </summary>
/// <remarks>
/// FreeformClass is approximated with .NET's Unicode data: controls (Cc), format characters (Cf, which
/// covers most default-ignorable code points), surrogates, unassigned code points (Cn), noncharacters and
/// conjoining (old) Hangul jamo are rejected. CONTEXTJ/CONTEXTO exceptions are not implemented.
/// </remarks>
public static class OpaqueString
{
    /// <summary>Applies the profile; false if the input is disallowed (e.g. contains a control character).</summary>
    public static bool TryPrepare(string input, out string output)
    {
        ArgumentNullException.ThrowIfNull(input);
        output = string.Empty;
        if (input.Length == 0)
        {
            return false;
        }

        if (IsPrintableAscii(input))
        {
            output = input; // Already in its prepared form.
            return true;
        }

        for (ReadOnlySpan<char> rest = input; !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return false; // Invalid UTF-16 (lone surrogates).
            }

            rest = rest[consumed..];
        }

        // Additional Mapping Rule: "Any instances of non-ASCII space MUST be mapped to ASCII space (U+0020)".
        var mapped = new StringBuilder(input.Length);
        foreach (char c in input)
        {
            mapped.Append(c != ' ' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c);
        }

        string normalized;
        try
        {
            // Normalization Rule: "Unicode Normalization Form C (NFC) MUST be applied to all strings."
            normalized = mapped.ToString().Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return false; // Invalid UTF-16 (lone surrogates).
        }

        foreach (Rune rune in normalized.EnumerateRunes())
        {
            if (!IsAllowed(rune))
            {
                return false;
            }
        }

        output = normalized;
        return true;
    }

    /// <summary>Applies the profile.</summary>
    /// <exception cref="ArgumentException">The input is disallowed by the profile.</exception>
    public static string Prepare(string input) =>
        TryPrepare(input, out string output)
            ? output
            : throw new ArgumentException("The string is not allowed by the PRECIS OpaqueString profile.", nameof(input));

    private static bool IsPrintableAscii(string input)
    {
        foreach (char c in input)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowed(Rune rune)
    {
        int v = rune.Value;
        bool noncharacter = (v >= 0xFDD0 && v <= 0xFDEF) || (v & 0xFFFE) == 0xFFFE;
        bool oldHangulJamo = (v >= 0x1100 && v <= 0x11FF) || (v >= 0xA960 && v <= 0xA97F) || (v >= 0xD7B0 && v <= 0xD7FF);
        if (noncharacter || oldHangulJamo)
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned);
    }
}
