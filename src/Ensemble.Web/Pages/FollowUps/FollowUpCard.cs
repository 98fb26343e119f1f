using Ensemble.Storage.Advisory.FollowUps;

namespace Ensemble.Web.Pages.FollowUps;

/// <summary>One follow-up as a card: on the follow-ups page (with its household) or on the household page (without).</summary>
public sealed record FollowUpCard(FollowUpView FollowUp, bool ShowHousehold, bool CanTakeUp);
