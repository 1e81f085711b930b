namespace Passkeys.Load;

/// <summary>The ceremonies a virtual user can run.</summary>
public enum Operation
{
    /// <summary>A new user signs up with a new device: registration begin → create() → finish.</summary>
    Register,
    /// <summary>Sign-in by username: authentication begin {username} (allowCredentials) → get() → finish.</summary>
    SignInUsername,
    /// <summary>Usernameless sign-in: authentication begin {} → get() with a discoverable credential → finish.</summary>
    SignInDiscoverable,
}

/// <summary>The parts of a ceremony that are timed separately.</summary>
public enum Stage
{
    /// <summary>The begin request, from send to the parsed response.</summary>
    Begin,
    /// <summary>The device's work: the software client and authenticator answering the options (no network).</summary>
    Device,
    /// <summary>The finish request, from send to the parsed response.</summary>
    Finish,
    /// <summary>The whole ceremony, begin to finish.</summary>
    Ceremony,
}

/// <summary>Names used in reports and on the command line.</summary>
public static class OperationNames
{
    /// <summary>All operations, in report order.</summary>
    public static readonly Operation[] All = [Operation.Register, Operation.SignInUsername, Operation.SignInDiscoverable];

    /// <summary>All stages, in report order.</summary>
    public static readonly Stage[] Stages = [Stage.Begin, Stage.Device, Stage.Finish, Stage.Ceremony];

    /// <summary>"register", "signin-username", "signin-discoverable".</summary>
    public static string Name(Operation operation) => operation switch
    {
        Operation.Register => "register",
        Operation.SignInUsername => "signin-username",
        _ => "signin-discoverable",
    };

    /// <summary>"begin", "device", "finish", "ceremony".</summary>
    public static string Name(Stage stage) => stage switch
    {
        Stage.Begin => "begin",
        Stage.Device => "device",
        Stage.Finish => "finish",
        _ => "ceremony",
    };
}
