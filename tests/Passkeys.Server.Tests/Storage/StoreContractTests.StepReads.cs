using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Storage;

// The joined reads of a ceremony step (Storage/SqlPasskeyStore.StepReads.cs): the same rows, column
// for column, as the one-row reads they replace, and null exactly where those found nothing.
public abstract partial class StoreContractTests
{
    // A user with a default passkey, a named and used passkey, and a suspended one: every column has a value.
    private async Task SeedUserWithCredentialsAsync()
    {
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [1]) with { CreatedAt = T0.AddMinutes(2) }, User("t1", "u1")));
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [2]) with { Name = "Laptop", AttestationType = "none" }, null));
        Assert.Equal(AddCredentialResult.Added, await Store.AddCredentialAsync(Credential("t1", "u1", [3]) with { CreatedAt = T0.AddMinutes(1) }, null));
        Assert.True(await Store.RecordCredentialUseAsync("t1", [2], 7, true, true, T0.AddMinutes(3)));
        Assert.True(await Store.SetDefaultCredentialAsync("t1", "u1", [3]));
        await using var step = await Store.BeginStepAsync();
        Assert.True(await step.SuspendCredentialAsync("t1", [1], SuspendedReason.CloneSuspected, T0.AddMinutes(4)));
        Assert.True(await step.FlagCloneSuspectedAsync("t1", [1], T0.AddMinutes(4)));
        await step.CommitAsync();
    }

    [StoreFact]
    public async Task A_step_reads_a_credential_with_its_user_as_the_two_reads_do()
    {
        await SeedUserWithCredentialsAsync();
        await Store.AddCredentialAsync(Credential("t2", "u9", [9]), User("t2", "u9", 9));
        await using var step = await Store.BeginStepAsync();
        foreach (var id in new byte[][] { [1], [2], [3] })
        {
            var found = await step.GetCredentialWithUserAsync("t1", id);
            Assert.NotNull(found);
            Assert.Equivalent(await step.GetCredentialAsync("t1", id), found.Credential, strict: true);
            Assert.Equivalent(await step.GetUserAsync("t1", "u1"), found.User, strict: true);
        }
        Assert.Equal([3], (await step.GetCredentialWithUserAsync("t1", [3]))!.User!.DefaultCredentialId);
        Assert.Equal(SuspendedReason.CloneSuspected, (await step.GetCredentialWithUserAsync("t1", [1]))!.Credential.SuspendedReason);
        // Unknown, and another tenant's: nothing, as GetCredentialAsync.
        Assert.Null(await step.GetCredentialWithUserAsync("t1", [4]));
        Assert.Null(await step.GetCredentialWithUserAsync("t1", [9]));
        Assert.Equal("u9", (await step.GetCredentialWithUserAsync("t2", [9]))!.User!.Id);
    }

    [StoreFact]
    public async Task A_step_that_has_written_reads_the_credential_with_its_user_as_written()
    {
        await SeedUserWithCredentialsAsync();
        await using var step = await Store.BeginStepAsync();
        Assert.True(await step.RecordCredentialUseAsync("t1", [2], 11, false, true, T0.AddMinutes(5)));
        Assert.True(await step.SetDefaultCredentialAsync("t1", "u1", [2]));
        var found = await step.GetCredentialWithUserAsync("t1", [2]);
        Assert.Equal((11L, T0.AddMinutes(5)), (found!.Credential.SignCount, found.Credential.LastUsedAt));
        Assert.Equal([2], found.User!.DefaultCredentialId);
        Assert.True(await step.DeleteCredentialAsync("t1", "u1", [2]));
        Assert.Null(await step.GetCredentialWithUserAsync("t1", [2]));
        await step.RollbackAsync();
    }

    [StoreFact]
    public async Task A_step_reads_what_a_username_sign_in_allows_as_the_two_reads_do()
    {
        await SeedUserWithCredentialsAsync();
        Assert.True(await Store.CreateUserAsync(User("t1", "u2", 2)));
        await Store.AddCredentialAsync(Credential("t1", "u3", [5]) with { Transports = [] }, User("t1", "u3", 3));
        await using var step = await Store.BeginStepAsync();
        // The name is matched as GetUserByNameAsync matches it (case and width folded).
        foreach (var name in new[] { "u1@example.com", "U1@EXAMPLE.COM", "ｕ１＠ｅｘａｍｐｌｅ．ｃｏｍ" })
        {
            var found = await step.GetAllowCredentialsByNameAsync("t1", name);
            var user = await step.GetUserByNameAsync("t1", name);
            Assert.Equal(user!.Id, found!.UserId);
            Assert.Equal(user.DefaultCredentialId, found.DefaultCredentialId);
            // Every credential, suspended ones too, in ListCredentialsAsync's order (by creation time), with its transports.
            var listed = await step.ListCredentialsAsync("t1", "u1");
            Assert.Equal([[2], [3], [1]], found.Credentials.Select(c => c.Id));
            Assert.Equal(listed.Select(c => c.Id), found.Credentials.Select(c => c.Id));
            Assert.Equal(listed.Select(c => c.Transports), found.Credentials.Select(c => c.Transports!));
        }
        Assert.Equal([3], (await step.GetAllowCredentialsByNameAsync("t1", "u1@example.com"))!.DefaultCredentialId);
        Assert.Empty(Assert.Single((await step.GetAllowCredentialsByNameAsync("t1", "u3@example.com"))!.Credentials).Transports!);
        // A user with no passkey: the user, nothing to allow.
        var bare = await step.GetAllowCredentialsByNameAsync("t1", "u2@example.com");
        Assert.Equal("u2", bare!.UserId);
        Assert.Null(bare.DefaultCredentialId);
        Assert.Empty(bare.Credentials);
        // Unknown, and another tenant's: nothing, as GetUserByNameAsync.
        Assert.Null(await step.GetAllowCredentialsByNameAsync("t1", "nobody@example.com"));
        Assert.Null(await step.GetAllowCredentialsByNameAsync("t2", "u1@example.com"));
    }

    [StoreFact]
    public async Task A_step_reads_a_ceremony_with_the_named_credential_and_its_user_as_the_three_reads_do()
    {
        await SeedUserWithCredentialsAsync();
        await Store.AddCredentialAsync(Credential("t2", "u9", [9]), User("t2", "u9", 9));
        await Store.SaveCeremonyAsync(Ceremony("t1", "c1", T0.AddMinutes(5), "u1"));
        await Store.SaveCeremonyAsync(Ceremony("t1", "c2", T0.AddMinutes(5)));
        await using var step = await Store.BeginStepAsync();
        var read = await step.GetCeremonyWithCredentialAsync("t1", "c1", [2]);
        Assert.NotNull(read);
        Assert.Equivalent(await step.GetCeremonyAsync("t1", "c1"), read.Ceremony, strict: true);
        Assert.Equivalent(await step.GetCredentialWithUserAsync("t1", [2]), read.Credential, strict: true);
        Assert.Null((await step.GetCeremonyWithCredentialAsync("t1", "c2", [1]))!.Ceremony.UserId);
        // A credential unknown, or of another tenant than the ceremony: the ceremony alone.
        Assert.Null((await step.GetCeremonyWithCredentialAsync("t1", "c1", [4]))!.Credential);
        Assert.Null((await step.GetCeremonyWithCredentialAsync("t1", "c1", [9]))!.Credential);
        // A ceremony unknown, or of another tenant: nothing, whatever the credential.
        Assert.Null(await step.GetCeremonyWithCredentialAsync("t1", "c3", [2]));
        Assert.Null(await step.GetCeremonyWithCredentialAsync("t2", "c1", [9]));
        // Once the step has consumed it, its own read no longer finds it.
        Assert.NotNull(await step.ConsumeCeremonyAsync("t1", "c1", CeremonyKind.Authentication));
        Assert.Null(await step.GetCeremonyWithCredentialAsync("t1", "c1", [2]));
        await step.RollbackAsync();
    }
}
