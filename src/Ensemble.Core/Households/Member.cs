using NodaTime;

namespace Ensemble.Households;

public enum Relationship
{
    Primary,
    Spouse,
    Partner,
    Child,
    Dependant,
    Parent,
    Other,
}

/// <summary>A person in a household.</summary>
public sealed class Member
{
    private Member()
    {
        ExternalId = "";
        FirstName = "";
        LastName = "";
    }

    internal Member(string externalId, string firstName, string lastName, LocalDate? birthDate, Relationship relationship, string? email)
    {
        ExternalId = externalId;
        FirstName = firstName;
        LastName = lastName;
        BirthDate = birthDate;
        Relationship = relationship;
        Email = email;
    }

    public long Id { get; private set; }

    public string ExternalId { get; private set; }

    public string FirstName { get; private set; }

    public string LastName { get; private set; }

    public LocalDate? BirthDate { get; private set; }

    public Relationship Relationship { get; private set; }

    public string? Email { get; private set; }

    public string FullName => $"{FirstName} {LastName}".Trim();

    public int? AgeOn(LocalDate date) => BirthDate is { } b ? Period.Between(b, date, PeriodUnits.Years).Years : null;

    internal void Update(string firstName, string lastName, LocalDate? birthDate, Relationship relationship, string? email)
    {
        FirstName = firstName;
        LastName = lastName;
        BirthDate = birthDate;
        Relationship = relationship;
        Email = email;
    }
}
