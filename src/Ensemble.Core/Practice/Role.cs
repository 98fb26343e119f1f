namespace Ensemble.Practice;

/// <summary>Where a role is held: on each household's service team, or once for the whole firm.</summary>
public enum RoleScope
{
    Household,
    Firm,
}

/// <summary>A role work is assigned to. Work never names a person; it names a role on a team.</summary>
public sealed class Role
{
    private Role()
    {
        Key = "";
        Name = "";
        Description = "";
    }

    public Role(string key, string name, string description, RoleScope scope = RoleScope.Household, bool builtIn = false)
    {
        Key = RoleKeys.Normalize(key);
        Name = name;
        Description = description;
        Scope = scope;
        BuiltIn = builtIn;
        SeesWholeFirm = scope == RoleScope.Firm;
    }

    /// <summary>Stable key used by templates, e.g. <c>paraplanner</c>.</summary>
    public string Key { get; private set; }

    public string Name { get; private set; }

    public string Description { get; private set; }

    public RoleScope Scope { get; private set; }

    public bool BuiltIn { get; private set; }

    /// <summary>
    /// Holders see and act on every household, not only those whose team they are on. Deny by default:
    /// only firm-level roles (principal, compliance) start with it, and the firm grants it explicitly.
    /// </summary>
    public bool SeesWholeFirm { get; private set; }

    public void SetFirmWideAccess(bool seesWholeFirm) => SeesWholeFirm = seesWholeFirm;
}
