using System.Security.Cryptography;
using System.Text;

namespace Ensemble.Communications;

/// <summary>Message-IDs derived from the outbox key, so every attempt at the same message carries the same id.</summary>
public static class MessageIds
{
    public const string Domain = "outbox.ensemble.local";

    public static string For(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return $"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}@{Domain}";
    }
}
