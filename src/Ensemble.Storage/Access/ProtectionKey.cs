namespace Ensemble.Storage.Access;

/// <summary>
/// A key ASP.NET Core's data protection uses to sign session cookies and anti-forgery tokens. Kept in the
/// database so every web node behind one PostgreSQL accepts the cookies the others issued.
/// </summary>
public sealed class ProtectionKey
{
    public long Id { get; set; }

    public required string FriendlyName { get; set; }

    public required string Xml { get; set; }
}
