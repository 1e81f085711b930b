using Passkeys.Load;

namespace Passkeys.Cli.Tests.Bench;

/// <summary>
/// Which users each load worker signs in as (<see cref="LoadEngine.UsersOf"/>): never the same user
/// as another worker while there are enough users, so two sign-ins of one credential never wait on
/// each other's row lock because of the generator.
/// </summary>
public sealed class WorkerUsersTests
{
    [Theory]
    [InlineData(64, 16)]
    [InlineData(100, 8)]
    [InlineData(17, 16)]
    [InlineData(16, 16)]
    public void With_at_least_as_many_users_as_workers_each_worker_has_users_of_its_own_and_every_user_is_used(int users, int workers)
    {
        var pool = Enumerable.Range(0, users).ToArray();
        var shares = Enumerable.Range(0, workers).Select(w => LoadEngine.UsersOf(pool, w, workers)).ToList();
        Assert.All(shares, share => Assert.NotEmpty(share));
        var all = shares.SelectMany(s => s).ToList();
        Assert.Equal(users, all.Count);
        Assert.Equal(pool, all.Order());
    }

    [Fact]
    public void With_fewer_users_than_workers_each_worker_has_one_user_and_every_user_is_used()
    {
        var pool = Enumerable.Range(0, 3).ToArray();
        var shares = Enumerable.Range(0, 8).Select(w => LoadEngine.UsersOf(pool, w, 8)).ToList();
        Assert.All(shares, share => Assert.Single(share));
        Assert.Equal(pool, shares.Select(s => s[0]).Distinct().Order());
    }
}
