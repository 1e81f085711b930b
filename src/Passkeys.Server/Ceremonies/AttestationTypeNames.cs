using Passkeys.Attestation;

namespace Passkeys.Server.Ceremonies;

/// <summary>The stored and shown name of an attestation type (WebAuthn L3 §6.5.3), as FIDO metadata spells them, lower case.</summary>
public static class AttestationTypeNames
{
    /// <summary>none | self | basic | attca | anonca | uncertain.</summary>
    public static string Of(AttestationType type) => type switch
    {
        AttestationType.None => "none",
        AttestationType.Self => "self",
        AttestationType.Basic => "basic",
        AttestationType.AttCA => "attca",
        AttestationType.AnonCA => "anonca",
        _ => "uncertain",
    };
}
