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
            var rows = await store.QueryAsync(Connection, Tx, GetOfferSql, r => store._columns.Time(r, 0), cancellationToken, ("@t", tenantId), ("@u", userId))
                .ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }

        public async Task RecordCeremonyBegunAsync(CeremonyOutcomeRecord outcome, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            using var _ = store.Measure("Step.RecordCeremonyBegun");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            await store.ExecuteAsync(Connection, tx, InsertOutcomeSql, cancellationToken, OutcomeParameters(outcome)).ConfigureAwait(false);
        }

        public async Task<bool> RecordCeremonyFinishedAsync(string tenantId, string ceremonyId, CeremonyFinish finish, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(finish);
            using var _ = store.Measure("Step.RecordCeremonyFinished");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.ExecuteAsync(Connection, tx, FinishOutcomeSql, cancellationToken, FinishParameters(tenantId, ceremonyId, finish)).ConfigureAwait(false) == 1;
        }

        public async Task<bool> RecordCeremonyAbandonedAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.RecordCeremonyAbandoned");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.MarkAbandonedAsync(Connection, tx, [(tenantId, ceremonyId)], cancellationToken).ConfigureAwait(false) == 1;
        }
    }
}
