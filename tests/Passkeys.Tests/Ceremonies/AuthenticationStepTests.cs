using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Protocol;
using static Passkeys.Tests.Ceremonies.Scenario;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// WebAuthn L3 §7.2: one success, then one test per verification step that changes exactly one
/// thing and asserts the step's error code. Test names carry the step ids of webauthn-l3-steps.md.
/// </summary>
public class AuthenticationStepTests
{
    private static async Task<(Scenario, CredentialRecord)> RegisteredAsync(SoftwareAuthenticatorOptions? options = null)
    {
        var s = new Scenario(options);
        var registered = await s.RegisterAsync();
        return (s, registered.Credential);
    }

    [Fact]
    public async Task AUTH_25_result_signs_in_usernameless_and_updates_the_record()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var result = await s.SignInAsync(record);
        Assert.Equal(UserId, result.UserHandle);
        Assert.Equal(record.Id, result.CredentialId);
        Assert.True(result.SignCount > record.SignCount);
        Assert.Equal(result.SignCount, result.UpdatedCredential.SignCount);
        Assert.False(result.SignCountRegressed);
        Assert.True(result.UserVerified);
    }

    [Fact]
    public async Task Signs_in_by_username_with_allow_credentials()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var result = await s.SignInAsync(record, new AuthenticationRequest { UserHandle = UserId, AllowCredentials = [new CredentialDescriptor(record.Id)] });
        Assert.Equal(record.Id, result.CredentialId);
    }

    [Fact]
    public async Task Binds_a_transaction_hash_into_the_challenge_for_step_up()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        byte[] payload = "pay 120 EUR to X"u8.ToArray();
        var result = await s.SignInAsync(record, new AuthenticationRequest { UserHandle = UserId, TransactionPayload = payload });
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(payload), result.TransactionHash);
    }

    [Fact]
    public async Task AUTH_03_resp_type_fails_when_type_is_not_public_key_or_a_member_is_missing()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.WrongResponseType, ErrorOf(() => s.RelyingParty.FinishAuthentication(Edit(response, o => o["type"] = "otp"), state, record)));
        Assert.Equal(PasskeyError.MalformedResponse, ErrorOf(() => s.RelyingParty.FinishAuthentication(Edit(response, o => ((JsonObject)o["response"]!).Remove("signature")), state, record)));
        Assert.Equal(PasskeyError.CredentialIdMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(Edit(response, o => o["id"] = "AAAA"), state, record)));
    }

    [Fact]
    public async Task AUTH_05_allowcred_fails_when_the_credential_is_not_allowed()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        var restricted = state with { AllowCredentials = ["AAAAAAAAAAAAAAAAAAAAAA"] };
        Assert.Equal(PasskeyError.CredentialNotAllowed, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, restricted, record)));
    }

    [Fact]
    public async Task AUTH_06a_owner_known_user_fails_for_a_credential_of_another_user()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync(new AuthenticationRequest { UserHandle = [9, 9, 9] });
        Assert.Equal(PasskeyError.UserHandleMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_06a_owner_known_user_fails_when_user_handle_names_another_user()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync(new AuthenticationRequest { UserHandle = UserId });
        string other = Edit(response, o => o["response"]!["userHandle"] = "CQkJ");
        Assert.Equal(PasskeyError.UserHandleMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(other, state, record)));
    }

    [Fact]
    public async Task AUTH_06b_owner_by_handle_fails_without_a_user_handle()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        string none = Edit(response, o => ((JsonObject)o["response"]!).Remove("userHandle"));
        Assert.Equal(PasskeyError.UserHandleMissing, ErrorOf(() => s.RelyingParty.FinishAuthentication(none, state, record)));
    }

    [Fact]
    public async Task AUTH_06b_owner_by_handle_fails_when_the_handle_names_another_account()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.UserHandleMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record with { UserHandle = [9, 9, 9] })));
    }

    [Fact]
    public async Task Fails_when_the_record_passed_in_is_not_the_credential_used()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.Faults = AuthenticatorFaults.WrongCredentialId;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.CredentialNotFound, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_08_utf8_fails_when_client_data_is_not_utf8()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        byte[] clientData = ClientDataOf(response);
        clientData[^3] = 0xC0;
        Assert.Equal(PasskeyError.MalformedClientData, ErrorOf(() => s.RelyingParty.FinishAuthentication(WithClientData(response, clientData), state, record)));
    }

    [Fact]
    public async Task AUTH_09_json_fails_when_client_data_is_not_a_json_object()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.MalformedClientData, ErrorOf(() => s.RelyingParty.FinishAuthentication(WithClientData(response, "[]"u8.ToArray()), state, record)));
    }

    [Fact]
    public async Task AUTH_10_type_fails_when_type_is_webauthn_create()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Client.Options.Faults = ClientFaults.WrongType;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.WrongClientDataType, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_11_challenge_fails_when_challenge_differs()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Client.Options.Faults = ClientFaults.AlteredChallenge;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.ChallengeMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_12_origin_fails_when_origin_is_foreign()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Client.Options.Faults = ClientFaults.WrongOrigin;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.OriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    private static async Task<(Scenario, CredentialRecord, string, AuthenticationState)> EmbeddedAsync()
    {
        var s = new Scenario(topOrigin: "https://news.example.org");
        s.Options.AllowCrossOrigin = true;
        s.Options.AllowedTopOrigins = ["https://news.example.org"];
        var record = (await s.RegisterAsync()).Credential;
        var (response, state) = await s.GetAsync();
        s.RelyingParty.FinishAuthentication(response, state, record);
        return (s, record, response, state);
    }

    [Fact]
    public async Task AUTH_13_crossorigin_fails_when_embedded_without_permission()
    {
        var (s, record, response, state) = await EmbeddedAsync();
        using var _ = s;
        s.Options.AllowedTopOrigins = [];
        s.Options.AllowCrossOrigin = false;
        Assert.Equal(PasskeyError.CrossOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_14_1_toporigin_expected_fails_when_top_origin_is_present_without_permission()
    {
        var (s, record, response, state) = await EmbeddedAsync();
        using var _ = s;
        s.Options.AllowedTopOrigins = [];
        s.Options.AllowCrossOrigin = false;
        string text = System.Text.Encoding.UTF8.GetString(ClientDataOf(response)).Replace("\"crossOrigin\":true", "\"crossOrigin\":false", StringComparison.Ordinal);
        Assert.Equal(PasskeyError.TopOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishAuthentication(
            WithClientData(response, System.Text.Encoding.UTF8.GetBytes(text)), state, record)));
    }

    [Fact]
    public async Task AUTH_14_2_toporigin_value_fails_when_top_origin_is_not_allowed()
    {
        var (s, record, response, state) = await EmbeddedAsync();
        using var _ = s;
        s.Options.AllowedTopOrigins = ["https://partner.example.net"];
        Assert.Equal(PasskeyError.TopOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_15_rpidhash_fails_when_rp_id_hash_differs()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.Faults = AuthenticatorFaults.WrongRpIdHash;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_16_up_fails_when_user_presence_flag_is_clear()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.Faults = AuthenticatorFaults.UserPresenceFlagCleared;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.UserPresenceMissing, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_17_uv_fails_when_required_and_not_done()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync(new AuthenticationRequest { UserVerification = UserVerificationRequirement.Discouraged });
        s.RelyingParty.FinishAuthentication(response, state, record);
        var required = AuthenticationState.Deserialize((state with { UserVerification = UserVerificationRequirement.Required }).Serialize());
        Assert.Equal(PasskeyError.UserVerificationMissing, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, required, record)));
    }

    [Fact]
    public async Task AUTH_18_be_bs_fails_when_backed_up_but_not_eligible()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.BackupState = true;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.BackupStateWithoutEligibility, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_19_1_be_kept_set_fails_when_eligibility_disappears()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.BackupEligibilityChanged, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record with { BackupEligible = true })));
    }

    [Fact]
    public async Task AUTH_19_2_be_kept_clear_fails_when_eligibility_appears_unless_policy_ignores_it()
    {
        var (s, record) = await RegisteredAsync(new SoftwareAuthenticatorOptions { Seed = 7, BackupEligible = true, BackupState = true });
        using var _ = s;
        Assert.True(record.BackupEligible);
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.BackupEligibilityChanged, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record with { BackupEligible = false })));
        s.Options.BackupEligibility = BackupEligibilityPolicy.Ignore;
        Assert.True(s.RelyingParty.FinishAuthentication(response, state, record with { BackupEligible = false }).BackupState);
    }

    [Fact]
    public async Task AUTH_21_sig_fails_when_the_signature_is_over_other_bytes()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.Faults = AuthenticatorFaults.SignatureOverWrongBytes;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.SignatureInvalid, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_21_sig_fails_with_another_credentials_key()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var other = (await s.RegisterAsync(new RegistrationRequest { User = new UserIdentity([2], "bob", "Bob") })).Credential;
        var (response, state) = await s.GetAsync(new AuthenticationRequest { UserHandle = UserId, AllowCredentials = [new CredentialDescriptor(record.Id)] });
        Assert.Equal(PasskeyError.SignatureInvalid, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record with { PublicKey = other.PublicKey })));
    }

    [Fact]
    public async Task AUTH_22_signcount_rejects_a_rollback_by_default_and_reports_it_when_allowed()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        record = (await s.SignInAsync(record)).UpdatedCredential;
        s.Authenticator.Options.Faults = AuthenticatorFaults.CounterRollback;
        var (response, state) = await s.GetAsync();
        Assert.Equal(PasskeyError.SignCountRegression, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));

        s.Options.SignCountRegression = SignCountRegressionPolicy.AllowAndReport;
        var result = s.RelyingParty.FinishAuthentication(response, state, record);
        Assert.True(result.SignCountRegressed);
        Assert.Equal(record.SignCount, result.UpdatedCredential.SignCount);
    }

    [Fact]
    public async Task AUTH_22_signcount_accepts_a_counter_that_stays_zero()
    {
        var (s, record) = await RegisteredAsync(new SoftwareAuthenticatorOptions { Seed = 7, Counter = SignCounterMode.AlwaysZero });
        using var _ = s;
        Assert.Equal(0u, record.SignCount);
        var first = await s.SignInAsync(record);
        var second = await s.SignInAsync(first.UpdatedCredential);
        Assert.Equal(0u, second.SignCount);
        Assert.False(second.SignCountRegressed);
    }

    [Fact]
    public async Task AUTH_22_signcount_rejects_a_replayed_response()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        var updated = s.RelyingParty.FinishAuthentication(response, state, record).UpdatedCredential;
        s.Client.Options.Faults = ClientFaults.Replay;
        var replay = await s.Client.GetAsync(s.RelyingParty.BeginAuthentication(new AuthenticationRequest()).OptionsJson);
        Assert.Equal(response, replay);
        Assert.Equal(PasskeyError.SignCountRegression, ErrorOf(() => s.RelyingParty.FinishAuthentication(replay, state, updated)));
    }

    [Fact]
    public async Task AUTH_23_ext_process_rejects_unrequested_outputs_only_when_policy_says_so()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        s.Authenticator.Options.Faults = AuthenticatorFaults.UnrequestedExtensionOutputs;
        var (response, state) = await s.GetAsync();
        s.RelyingParty.FinishAuthentication(response, state, record);
        s.Options.UnrequestedExtensions = UnrequestedExtensionPolicy.Reject;
        Assert.Equal(PasskeyError.UnexpectedExtensionOutput, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }

    [Fact]
    public async Task AUTH_24_1_upd_count_records_the_new_counter()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var first = await s.SignInAsync(record);
        Assert.Equal(first.SignCount, first.UpdatedCredential.SignCount);
        var second = await s.SignInAsync(first.UpdatedCredential);
        Assert.True(second.UpdatedCredential.SignCount > first.UpdatedCredential.SignCount);
    }

    [Fact]
    public async Task AUTH_24_3_upd_uvinit_is_left_to_the_caller()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var result = await s.SignInAsync(record with { UvInitialized = false });
        Assert.True(result.UserVerified);
        Assert.False(result.UpdatedCredential.UvInitialized);
    }

    [Fact]
    public async Task AUTH_24_2_upd_bs_records_the_current_backup_state()
    {
        var (s, record) = await RegisteredAsync(new SoftwareAuthenticatorOptions { Seed = 7, BackupEligible = true });
        using var _ = s;
        Assert.False(record.BackupState);
        s.Authenticator.Options.BackupState = true;
        Assert.True((await s.SignInAsync(record)).UpdatedCredential.BackupState);
    }

    [Fact]
    public async Task Fails_when_the_ceremony_has_expired()
    {
        var (s, record) = await RegisteredAsync();
        using var _ = s;
        var (response, state) = await s.GetAsync();
        s.Clock.Now += s.Options.Timeout + TimeSpan.FromSeconds(1);
        Assert.Equal(PasskeyError.CeremonyExpired, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, state, record)));
    }
}
