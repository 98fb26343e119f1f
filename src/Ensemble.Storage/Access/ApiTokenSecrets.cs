using System.Security.Cryptography;
using System.Text;

namespace Ensemble.Storage.Access;

/// <summary>How API tokens look and how they are kept: shared by the web app (which checks them) and the CLI (which issues them).</summary>
public static class ApiTokenSecrets
{
    public const string Prefix = "ens_";

    /// <summary>A new token: the prefix and 256 random bits, URL-safe.</summary>
    public static string NewToken() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Only this hash is stored, so a copy of the database does not leak working tokens.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
