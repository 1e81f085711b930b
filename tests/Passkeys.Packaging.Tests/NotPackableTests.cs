namespace Passkeys.Packaging.Tests;

/// <summary>
/// Only the library and the software authenticator are packages (and the CLI, deliberately, a .NET
/// tool): `dotnet pack` over the solution must not turn the server, the load engine or a test
/// project into a package by accident. Asked of MSBuild itself, so that every import counts.
/// </summary>
public sealed class NotPackableTests
{
    [Theory]
    [InlineData("src/Passkeys.Server/Passkeys.Server.csproj")]
    [InlineData("src/Passkeys.Load/Passkeys.Load.csproj")]
    [InlineData("tests/Passkeys.Packaging.Tests/Passkeys.Packaging.Tests.csproj")]
    public void Project_is_not_packable(string project)
    {
        string root = PackedFeed.FindRepositoryRoot(AppContext.BaseDirectory);
        var result = DotnetCommand.Run(root, "msbuild", project, "-getProperty:IsPackable", "-nologo", "-nodeReuse:false")
            .EnsureSuccess($"dotnet msbuild {project}");
        // With one property asked for, MSBuild prints just its value.
        Assert.Equal("false", result.Output.Trim());
    }
}
