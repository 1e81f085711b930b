using Xunit.Abstractions;
using Xunit.Sdk;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// A test that needs PostgreSQL: skipped with <see cref="PostgresCluster.SkipReason"/> when the
/// binaries are missing (xunit 2 has no dynamic skip, so the attribute decides when it is built).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PostgreSQL tests cannot run here.</summary>
    public PostgresFactAttribute() => Skip = PostgresCluster.SkipReason;
}

/// <summary>The <see cref="PostgresFactAttribute"/> counterpart of a theory.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PostgreSQL tests cannot run here.</summary>
    public PostgresTheoryAttribute() => Skip = PostgresCluster.SkipReason;
}

/// <summary>
/// A test of a suite shared by both stores (contract, flows, failures). It cannot use
/// <see cref="PostgresFactAttribute"/>: it is declared once in the base class, and only the derived
/// class says which store it runs on. Its discoverer looks at that class: in the PostgreSQL
/// collection, without PostgreSQL, the test is reported skipped; otherwise it is a plain fact.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Passkeys.Server.Tests.Storage.StoreFactDiscoverer", "Passkeys.Server.Tests")]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The <see cref="StoreFactAttribute"/> counterpart of a theory.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Passkeys.Server.Tests.Storage.StoreTheoryDiscoverer", "Passkeys.Server.Tests")]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreSkip.Of(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Discovers <see cref="StoreTheoryAttribute"/> tests.</summary>
public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreSkip.Of(DiagnosticMessageSink, discoveryOptions, testMethod) ?? base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

internal static class StoreSkip
{
    /// <summary>One skipped case when the test's class is in the PostgreSQL collection and PostgreSQL is missing; else null.</summary>
    public static IEnumerable<IXunitTestCase>? Of(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod)
    {
        if (PostgresCluster.SkipReason is not { } reason || testMethod.TestClass.TestCollection.DisplayName != PostgresCollection.Name)
        {
            return null;
        }
        return [new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason)];
    }
}
