using System.Formats.Tar;
using System.IO.Compression;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// The browser SDK as a developer gets it from npm: <c>npm pack</c> in its package folder
/// (src/Passkeys.Server/wwwroot/sdk, the same files the server serves), a fresh app in a temporary
/// folder that installs the tarball offline, and esbuild bundling the app's entry point (which also
/// imports @simplewebauthn/browser, from the test tools' node_modules, for the compatibility test)
/// into <see cref="SiteFolder"/>. Built once per test run.
/// </summary>
public sealed class PackedSdkApp
{
    private static readonly Lazy<Task<PackedSdkApp>> Instance = new(BuildAsync);

    private PackedSdkApp(string root, string tarball, string siteFolder, IReadOnlyDictionary<string, byte[]> tarballFiles)
    {
        Root = root;
        Tarball = tarball;
        SiteFolder = siteFolder;
        TarballFiles = tarballFiles;
    }

    /// <summary>The temporary folder holding the tarball, the app and its site.</summary>
    public string Root { get; }

    /// <summary>The .tgz npm pack wrote.</summary>
    public string Tarball { get; }

    /// <summary>index.html and the bundled app.js, to be served from another origin.</summary>
    public string SiteFolder { get; }

    /// <summary>The tarball's files (paths without the "package/" prefix) and their bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> TarballFiles { get; }

    public static Task<PackedSdkApp> GetAsync() => Instance.Value;

    private static string ToolsFolder => Path.Combine(BrowserEnvironment.RepositoryRoot, "tests", "Passkeys.Browser.Tests", "js");

    private static async Task<PackedSdkApp> BuildAsync()
    {
        var esbuild = Path.Combine(ToolsFolder, "node_modules", ".bin", "esbuild");
        if (!File.Exists(esbuild) || !Directory.Exists(Path.Combine(ToolsFolder, "node_modules", "@simplewebauthn", "browser")))
        {
            throw new InvalidOperationException($"esbuild or @simplewebauthn/browser is not installed in {ToolsFolder}: run `npm ci` there (test.sh does this).");
        }
        var root = Path.Combine(Path.GetTempPath(), "passkeys-npm-" + Guid.NewGuid().ToString("N"));
        var app = Path.Combine(root, "fresh-app");
        var site = Path.Combine(root, "site");
        Directory.CreateDirectory(app);
        Directory.CreateDirectory(site);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };

        // 1. npm pack, in the package folder the server also serves from.
        var packageFolder = Path.Combine(BrowserEnvironment.WebRoot, "sdk");
        var packed = await Commands.RunAsync("npm", ["pack", "--pack-destination", root, "--loglevel=error"], packageFolder);
        var tarball = Path.Combine(root, packed.Trim().Split('\n')[^1].Trim());

        // 2. A fresh app installs it from the tarball, offline (it has no dependencies to fetch).
        await File.WriteAllTextAsync(Path.Combine(app, "package.json"), $$"""
            { "name": "fresh-app", "version": "1.0.0", "private": true, "type": "module",
              "dependencies": { "@passkeys/browser": "file:{{tarball}}" } }
            """);
        await Commands.RunAsync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], app,
            new Dictionary<string, string> { ["npm_config_cache"] = Path.Combine(root, "npm-cache") });

        // 3. The app's code, bundled by esbuild into one file for the browser.
        await File.WriteAllTextAsync(Path.Combine(app, "app.js"), """
            import * as passkeys from '@passkeys/browser';
            import * as simplewebauthn from '@simplewebauthn/browser';
            window.passkeys = passkeys;
            window.simplewebauthn = simplewebauthn;
            window.appReady = true;
            """);
        await Commands.RunAsync(esbuild, ["app.js", "--bundle", "--format=esm", "--log-level=warning", "--outfile=" + Path.Combine(site, "app.js")], app,
            // @simplewebauthn/browser comes from the test tools (esbuild honours NODE_PATH); ours from the app's own node_modules.
            new Dictionary<string, string> { ["NODE_PATH"] = Path.Combine(ToolsFolder, "node_modules") });
        await File.WriteAllTextAsync(Path.Combine(site, "index.html"), """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fresh app</title></head>
            <body><h1>Fresh app</h1><script type="module" src="/app.js"></script></body></html>
            """);
        return new PackedSdkApp(root, tarball, site, ReadTarball(tarball));
    }

    private static Dictionary<string, byte[]> ReadTarball(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
            {
                continue;
            }
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            files[entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name] = copy.ToArray();
        }
        return files;
    }
}
