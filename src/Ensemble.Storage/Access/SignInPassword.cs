using System.Security.Cryptography;

namespace Ensemble.Storage.Access;

/// <summary>Passwords Ensemble makes up for people (first start, resets): 16 characters without look-alikes.</summary>
public static class SignInPassword
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 16);
}
