using MimeKit;

namespace Ensemble.Storage.Communications;

/// <summary>
/// Whether an email address can be sent to: MimeKit must read it as a bare address (no display name, one address), and
/// it must have a domain with a dot — MimeKit alone accepts "ada" or "ada@localhost", which no client has.
/// </summary>
public static class EmailAddresses
{
    public static bool IsValid(string? address)
    {
        var text = address?.Trim() ?? "";
        if (text.Length is 0 or > 254 || text.Any(char.IsWhiteSpace) || !MailboxAddress.TryParse(text, out var mailbox) || mailbox.Address != text)
        {
            return false;
        }

        var at = text.LastIndexOf('@');
        var domain = at > 0 ? text[(at + 1)..] : "";
        return text.IndexOf('@') == at && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }
}
