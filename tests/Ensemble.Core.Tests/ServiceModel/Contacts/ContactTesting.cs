using Ensemble.Common;
using Ensemble.Households;
using Ensemble.ServiceModel;
using Ensemble.ServiceModel.Contacts;
using NodaTime;

namespace Ensemble.Tests.ServiceModel.Contacts;

/// <summary>Households for the occasion finder and the budget, with only what a test needs.</summary>
internal static class ContactTesting
{
    public static readonly IReadOnlyDictionary<ServiceTier, int> Frequency = ServiceSettings.Default.ContactsPerYear;

    public static ContactHousehold Household(
        ServiceTier tier = ServiceTier.B,
        LocalDate? married = null,
        IReadOnlyList<ContactMember>? members = null,
        IReadOnlyList<ContactLifeEvent>? events = null,
        IReadOnlyList<PastContact>? contacts = null,
        bool doNotContact = false,
        IReadOnlyList<string>? channels = null,
        long id = 7) =>
        new(new HouseholdId(id), $"HH-{id}", $"Household {id}", tier, doNotContact, channels ?? ["phone"], married,
            members ?? [], events ?? [], contacts ?? []);

    public static ContactMember Primary(LocalDate born, string id = "P1") => new(id, "Ana Reyes", Relationship.Primary, born);

    public static ContactMember Spouse(LocalDate born, string id = "P2") => new(id, "Luis Reyes", Relationship.Spouse, born);

    public static DateInterval Days(LocalDate start, int days) => new(start, start.PlusDays(days - 1));
}
