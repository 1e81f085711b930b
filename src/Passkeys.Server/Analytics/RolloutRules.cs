using Passkeys.Server.Errors;

namespace Passkeys.Server.Analytics;

/// <summary>Validates a tenant's <c>rollout</c> settings (admin API), one clear message per problem.</summary>
public static class RolloutRules
{
    /// <summary>The settings, checked; <see cref="ServerError.RolloutInvalid"/> naming every problem otherwise.</summary>
    public static RolloutSettings? Check(RolloutSettings? rollout)
    {
        if (rollout is null)
        {
            return null;
        }
        var problems = new List<string>();
        if (rollout.OfferPercentage is < 0 or > 100)
        {
            problems.Add($"rollout.offerPercentage must be a whole number from 0 to 100, not {rollout.OfferPercentage}.");
        }
        if (rollout.OfferAfter is not (RolloutSettings.AfterAny or RolloutSettings.AfterOtherMethodSignIn))
        {
            problems.Add($"rollout.offerAfter must be '{RolloutSettings.AfterAny}' or '{RolloutSettings.AfterOtherMethodSignIn}'.");
        }
        if (rollout.Prompt is not (RolloutSettings.PromptModal or RolloutSettings.PromptConditional))
        {
            problems.Add($"rollout.prompt must be '{RolloutSettings.PromptModal}' or '{RolloutSettings.PromptConditional}'.");
        }
        if (rollout.DefaultSignInAt is < 1 or > 100)
        {
            problems.Add($"rollout.defaultSignInAt must be null or a whole number from 1 to 100, not {rollout.DefaultSignInAt}.");
        }
        return problems.Count == 0 ? rollout : throw new ServerException(ServerError.RolloutInvalid, string.Join(" ", problems));
    }
}
