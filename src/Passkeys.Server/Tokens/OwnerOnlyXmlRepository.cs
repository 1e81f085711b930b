using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Passkeys.Server.Security;

namespace Passkeys.Server.Tokens;

/// <summary>
/// The Data Protection key ring in a folder, like the framework's <c>FileSystemXmlRepository</c>,
/// except that every key file is created <c>0600</c> (the framework's follow the umask, usually
/// 0644) and written to a temporary name first, so a reader never sees half a key. The folder is
/// created <c>0700</c> by the caller. The key files are not encrypted: naming a folder turns the
/// framework's own at-rest encryption off, which is why the folder's modes matter (and why a KEK
/// is offered instead; docs/operations.md, "Security").
/// </summary>
public sealed class OwnerOnlyXmlRepository(string folder) : IXmlRepository
{
    /// <summary>The folder.</summary>
    public string Folder { get; } = folder;

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.xml"))
        {
            elements.Add(XElement.Load(file));
        }
        return elements;
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        // The framework's names are "key-{guid}"; anything else gets a fresh name, never a path.
        var name = IsSafeName(friendlyName) ? friendlyName : Guid.NewGuid().ToString("D");
        OwnerOnlyFiles.WriteAllText(Path.Combine(Folder, name + ".xml"), element.ToString(SaveOptions.DisableFormatting));
    }

    private static bool IsSafeName(string name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
