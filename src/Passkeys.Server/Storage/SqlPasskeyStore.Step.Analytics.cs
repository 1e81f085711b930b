namespace Passkeys.Server.Storage;

// The ceremony steps' analytics writes (IStoreStep): a ceremony's funnel row is written and
// completed in the transaction of the step that learnt the fact.
public abstract partial class SqlPasskeyStore
{
    private sealed partial class Step
    {
        public async Task<DateTimeOffset?> GetPasskeyOfferAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetPasskeyOffer");
            var rows = await QueryAfterQueuedAsync(GetOfferSql, r => store._columns.Time(r, 0), cancellationToken, ("@t", tenantId), ("@u", userId))
                .ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }

        public async Task RecordCeremonyBegunAsync(CeremonyOutcomeRecord outcome, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            using var _ = store.Measure("Step.RecordCeremonyBegun");
            await QueueAsync(new StepStatement(InsertOutcomeSql, OutcomeParameters(outcome)), cancellationToken).ConfigureAwait(false);
        }

        public async Task RecordCeremonyFinishedAsync(string tenantId, string ceremonyId, CeremonyFinish finish, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(finish);
            using var _ = store.Measure("Step.RecordCeremonyFinished");
            await QueueAsync(new StepStatement(FinishOutcomeSql, FinishParameters(tenantId, ceremonyId, finish)), cancellationToken).ConfigureAwait(false);
        }
    }
}
