using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// Registration's inserts: the unique and foreign keys answer "is it taken?" (no checking queries
// first), and which key refused tells the distinct results apart.
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task A_taken_credential_id_is_reported_before_a_taken_user_and_nothing_is_written()
    {
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1")));

        // Both the credential id and the user (id, name and handle) are taken: the credential is reported.
        Assert.Equal(AddCredentialResult.CredentialExists, await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1")));
        // Only the handle is taken (new id, new name): the user is refused, the credential not written.
        Assert.Equal(AddCredentialResult.UserExists, await Store.AddCredentialAsync(Credential("t1", "u9", [9]), User("t1", "u9")));
        Assert.Null(await Store.GetUserAsync("t1", "u9"));
        Assert.Null(await Store.GetCredentialAsync("t1", [9]));
        Assert.Equal([[1]], (await Store.ListCredentialsAsync("t1", "u1")).Select(c => c.Id));
    }

    [StoreFact]
    public async Task A_step_refused_for_a_taken_name_or_a_missing_user_rolls_back_and_writes_again()
    {
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [1]), User("t1", "u1")));
        await using (var step = await Store.BeginStepAsync())
        {
            // A look-alike of u1's name (same name key): refused by the key, in the step's transaction.
            Assert.Equal(AddCredentialResult.UserExists,
                await step.AddCredentialAsync(Credential("t1", "u2", [2]), User("t1", "u2", 2) with { Name = "U1@EXAMPLE.COM" }));
            await step.RollbackAsync();
            // An existing user that is not there: refused by the foreign key (PostgreSQL aborts the transaction).
            Assert.Equal(AddCredentialResult.UserMissing, await step.AddCredentialAsync(Credential("t1", "ghost", [3]), null));
            await step.RollbackAsync();
            Assert.Equal(AddCredentialResult.Added, await step.AddCredentialAsync(Credential("t1", "u4", [4]), User("t1", "u4", 4)));
            await step.CommitAsync();
        }
        Assert.Null(await Store.GetUserAsync("t1", "u2"));
        Assert.Null(await Store.GetCredentialAsync("t1", [2]));
        Assert.Null(await Store.GetCredentialAsync("t1", [3]));
        Assert.NotNull(await Store.GetUserAsync("t1", "u4"));
        Assert.NotNull(await Store.GetCredentialAsync("t1", [4]));
    }
}
