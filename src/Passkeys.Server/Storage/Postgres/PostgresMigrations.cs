namespace Passkeys.Server.Storage.Postgres;

/// <summary>
/// Versioned schema migrations for PostgreSQL, applied in order at start under an advisory lock.
/// A migration is never edited once released; a change is a new entry. The tables, keys and
/// indexes mirror <c>SqliteMigrations</c> one to one (same names, same lookups) but with native
/// types: <c>bytea</c>, <c>boolean</c>, <c>timestamptz</c>, <c>uuid</c>, <c>jsonb</c> for lists.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>All migrations, oldest first; the version is the index plus one.</summary>
    public static readonly string[] All =
    [
        // 1: initial schema
        """
        CREATE TABLE tenants (
            id                text        NOT NULL PRIMARY KEY,
            rp_id             text        NOT NULL,
            rp_name           text        NOT NULL,
            origins           jsonb       NOT NULL,
            related_origins   jsonb       NOT NULL,
            user_verification text        NOT NULL,
            attestation       text        NOT NULL,
            self_sign_up      boolean     NOT NULL,
            created_at        timestamptz NOT NULL
        );
        CREATE TABLE users (
            tenant_id             text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id                    text        NOT NULL,
            handle                bytea       NOT NULL,
            name                  text        NOT NULL,
            display_name          text        NOT NULL,
            default_credential_id bytea       NULL,
            created_at            timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );
        CREATE UNIQUE INDEX ux_users_handle ON users (tenant_id, handle);
        CREATE UNIQUE INDEX ux_users_name ON users (tenant_id, name);
        -- The primary key on id alone makes a credential id unique across all tenants and is the
        -- index every login uses (WHERE id = … AND tenant_id = …): O(1) in the number of users.
        CREATE TABLE credentials (
            id                  bytea       NOT NULL CONSTRAINT credentials_pkey PRIMARY KEY,
            tenant_id           text        NOT NULL,
            user_id             text        NOT NULL,
            user_handle         bytea       NOT NULL,
            public_key          bytea       NOT NULL,
            algorithm           integer     NOT NULL,
            sign_count          bigint      NOT NULL,
            uv_initialized      boolean     NOT NULL,
            backup_eligible     boolean     NOT NULL,
            backup_state        boolean     NOT NULL,
            transports          jsonb       NOT NULL,
            aaguid              uuid        NOT NULL,
            attestation_format  text        NOT NULL,
            attestation_trusted boolean     NOT NULL,
            name                text        NULL,
            created_at          timestamptz NOT NULL,
            last_used_at        timestamptz NULL,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        );
        CREATE INDEX ix_credentials_user ON credentials (tenant_id, user_id);
        CREATE TABLE ceremonies (
            tenant_id  text        NOT NULL,
            id         text        NOT NULL,
            kind       integer     NOT NULL,
            state      bytea       NOT NULL,
            user_id    text        NULL,
            data       text        NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX ix_ceremonies_expires ON ceremonies (expires_at);
        CREATE TABLE recovery_codes (
            tenant_id  text        NOT NULL,
            user_id    text        NOT NULL,
            id         text        NOT NULL,
            salt       bytea       NOT NULL,
            hash       bytea       NOT NULL,
            created_at timestamptz NOT NULL,
            used_at    timestamptz NULL,
            PRIMARY KEY (tenant_id, user_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        );
        CREATE TABLE api_keys (
            id         text        NOT NULL PRIMARY KEY,
            tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            name       text        NOT NULL,
            hash       bytea       NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz NULL
        );
        CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);
        CREATE TABLE signing_keys (
            tenant_id   text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            kid         text        NOT NULL,
            algorithm   text        NOT NULL,
            private_key bytea       NOT NULL,
            created_at  timestamptz NOT NULL,
            retired_at  timestamptz NULL,
            PRIMARY KEY (tenant_id, kid)
        );
        CREATE TABLE audit_events (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id      text             NOT NULL,
            at             timestamptz      NOT NULL,
            ceremony       text             NOT NULL,
            outcome        text             NOT NULL,
            ceremony_id    text             NULL,
            user_id        text             NULL,
            credential_id  text             NULL,
            error_code     integer          NULL,
            error          text             NULL,
            client_address text             NULL,
            user_agent     text             NULL,
            browser        text             NULL,
            os             text             NULL,
            duration_ms    double precision NULL
        );
        CREATE INDEX ix_audit_tenant_id ON audit_events (tenant_id, id);
        CREATE INDEX ix_audit_tenant_at ON audit_events (tenant_id, at);
        """,
        // 2: sessions and their refresh tokens (SHA-256 hashes only); mirrors SQLite's version 2.
        // The foreign keys delete a session with its credential, its user or (through them) its
        // tenant, and its tokens with it.
        """
        CREATE TABLE sessions (
            tenant_id       text        NOT NULL,
            id              text        NOT NULL,
            user_id         text        NOT NULL,
            credential_id   bytea       NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
            user_verified   boolean     NOT NULL,
            created_at      timestamptz NOT NULL,
            last_used_at    timestamptz NOT NULL,
            expires_at      timestamptz NOT NULL,
            idle_expires_at timestamptz NOT NULL,
            revoked_at      timestamptz NULL,
            revoked_reason  text        NULL,
            client_address  text        NULL,
            user_agent      text        NULL,
            browser         text        NULL,
            os              text        NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        );
        CREATE INDEX ix_sessions_user ON sessions (tenant_id, user_id);
        CREATE INDEX ix_sessions_credential ON sessions (credential_id);
        CREATE INDEX ix_sessions_idle ON sessions (idle_expires_at);
        CREATE TABLE session_tokens (
            hash       bytea       NOT NULL PRIMARY KEY,
            tenant_id  text        NOT NULL,
            session_id text        NOT NULL,
            created_at timestamptz NOT NULL,
            spent_at   timestamptz NULL,
            FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE
        );
        CREATE INDEX ix_session_tokens_session ON session_tokens (tenant_id, session_id);
        """,
        // Identities; mirrors SQLite's migration of the same place: name_key (filled in for older
        // rows by the store after this migration), tenant_secrets, attempt_counters.
        """
        ALTER TABLE users ADD COLUMN name_key text NULL;
        CREATE UNIQUE INDEX ux_users_name_key ON users (tenant_id, name_key);
        CREATE TABLE tenant_secrets (
            tenant_id  text        NOT NULL PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
            secret     bytea       NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE attempt_counters (
            tenant_id    text        NOT NULL,
            subject      text        NOT NULL,
            window_start timestamptz NOT NULL,
            attempts     bigint      NOT NULL,
            expires_at   timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, subject, window_start)
        );
        CREATE INDEX ix_attempt_counters_expires ON attempt_counters (expires_at);
        """,
        // Per-tenant algorithms; mirrors SQLite's migration of the same place: a JSON array of COSE
        // numbers, NULL (every existing tenant) for the library default.
        """
        ALTER TABLE tenants ADD COLUMN algorithms jsonb NULL;
        """,
        // Clone detection; mirrors SQLite's migration of the same place.
        """
        ALTER TABLE credentials ADD COLUMN status text NOT NULL DEFAULT 'active';
        ALTER TABLE credentials ADD COLUMN suspended_reason text NULL;
        ALTER TABLE credentials ADD COLUMN suspended_at timestamptz NULL;
        ALTER TABLE credentials ADD COLUMN clone_suspected_at timestamptz NULL;
        ALTER TABLE tenants ADD COLUMN clone_detection text NOT NULL DEFAULT 'suspend';
        """,
        // Audit of every change; mirrors SQLite's migration of the same place.
        """
        ALTER TABLE audit_events ADD COLUMN type text NULL;
        ALTER TABLE audit_events ADD COLUMN actor_kind text NULL;
        ALTER TABLE audit_events ADD COLUMN actor_id text NULL;
        ALTER TABLE audit_events ADD COLUMN target_kind text NULL;
        ALTER TABLE audit_events ADD COLUMN target_id text NULL;
        ALTER TABLE audit_events ADD COLUMN details text NULL;
        UPDATE audit_events SET type = replace(ceremony, '-', '_') || '.' || outcome;
        CREATE INDEX ix_audit_tenant_type ON audit_events (tenant_id, type, id);
        """,
        // The purge's index for revoked sessions; mirrors SQLite's migration of the same place.
        """
        CREATE INDEX ix_sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
        """,
        // Attestation policy (docs/api.md, "Attestation policy"): a tenant's attestationPolicy as
        // JSON text, NULL (every existing tenant) for mode "any" with no lists. ix_credentials_aaguid
        // finds the passkeys of an authenticator model that FIDO metadata revokes (docs/operations.md);
        // credentials.attestation_type records what the attestation was (NULL for older passkeys).
        """
        ALTER TABLE tenants ADD COLUMN attestation_policy text NULL;
        CREATE INDEX ix_credentials_aaguid ON credentials (aaguid);
        ALTER TABLE credentials ADD COLUMN attestation_type text NULL;
        """,
        // Webhooks; mirrors SQLite's migration of the same place.
        """
        CREATE TABLE webhook_endpoints (
            id                         text        NOT NULL PRIMARY KEY,
            tenant_id                  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            url                        text        NOT NULL,
            event_types                text        NOT NULL,
            description                text        NULL,
            enabled                    boolean     NOT NULL,
            secret                     bytea       NOT NULL,
            previous_secret            bytea       NULL,
            previous_secret_expires_at timestamptz NULL,
            created_at                 timestamptz NOT NULL,
            updated_at                 timestamptz NOT NULL
        );
        CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);
        CREATE TABLE webhook_subscriptions (
            tenant_id   text NOT NULL,
            pattern     text NOT NULL,
            endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            PRIMARY KEY (tenant_id, pattern, endpoint_id)
        );
        CREATE INDEX ix_webhook_subscriptions_endpoint ON webhook_subscriptions (endpoint_id);
        CREATE TABLE webhook_deliveries (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id        text        NOT NULL,
            endpoint_id      text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            event_id         bigint      NOT NULL,
            event_type       text        NOT NULL,
            payload          text        NOT NULL,
            status           text        NOT NULL,
            attempts         integer     NOT NULL,
            created_at       timestamptz NOT NULL,
            next_attempt_at  timestamptz NOT NULL,
            locked_until     timestamptz NULL,
            locked_by        text        NULL,
            last_attempt_at  timestamptz NULL,
            last_status_code integer     NULL,
            last_error       text        NULL,
            completed_at     timestamptz NULL
        );
        CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
        CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
        CREATE INDEX ix_webhook_deliveries_completed ON webhook_deliveries (status, completed_at);
        """,
        // OpenID Connect clients and passkey endpoints; mirrors SQLite's migration of the same place.
        """
        CREATE TABLE oidc_clients (
            tenant_id                 text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            client_id                 text        NOT NULL,
            display_name              text        NOT NULL,
            client_type               text        NOT NULL,
            secret_hash               bytea       NULL,
            redirect_uris             text        NOT NULL,
            post_logout_redirect_uris text        NOT NULL,
            created_at                timestamptz NOT NULL,
            updated_at                timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, client_id)
        );
        -- W3C Passkey Endpoints (/.well-known/passkey-endpoints): where the tenant's app lets users
        -- create and manage passkeys; no row (or NULLs) publishes an empty document.
        CREATE TABLE passkey_endpoints (
            tenant_id         text   NOT NULL PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
            enroll            text   NULL,
            manage            text   NULL,
            prf_usage_details text   NULL,
            updated_at        timestamptz NOT NULL
        );
        """,
        // Native apps; mirrors SQLite's migration of the same place.
        """
        ALTER TABLE tenants ADD COLUMN native_apps jsonb NULL;
        """,
        // Analytics; mirrors SQLite's migration of the same place (docs/analytics.md).
        """
        CREATE TABLE ceremony_outcomes (
            tenant_id          text        NOT NULL,
            ceremony_id        text        NOT NULL,
            kind               text        NOT NULL,
            mediation          text        NOT NULL,
            begun_at           timestamptz NOT NULL,
            expires_at         timestamptz NOT NULL,
            user_id            text        NULL,
            new_user           boolean     NOT NULL,
            after_offer        boolean     NOT NULL,
            browser            text        NULL,
            os                 text        NULL,
            device_type        text        NULL,
            prompt_shown_at    timestamptz NULL,
            client_outcome     text        NULL,
            client_reported_at timestamptz NULL,
            server_outcome     text        NULL,
            error_code         integer     NULL,
            error              text        NULL,
            finished_at        timestamptz NULL,
            aaguid             text        NULL,
            provider           text        NULL,
            synced             boolean     NULL,
            PRIMARY KEY (tenant_id, ceremony_id)
        );
        CREATE INDEX ix_ceremony_outcomes_begun ON ceremony_outcomes (tenant_id, begun_at);
        CREATE INDEX ix_ceremony_outcomes_open ON ceremony_outcomes (expires_at) WHERE server_outcome IS NULL;
        CREATE INDEX ix_ceremony_outcomes_age ON ceremony_outcomes (begun_at);
        CREATE TABLE app_sign_ins (
            tenant_id text        NOT NULL,
            id        text        NOT NULL,
            user_id   text        NOT NULL,
            method    text        NOT NULL,
            at        timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX ix_app_sign_ins_at ON app_sign_ins (tenant_id, at);
        CREATE INDEX ix_app_sign_ins_user ON app_sign_ins (tenant_id, user_id, at);
        CREATE INDEX ix_app_sign_ins_age ON app_sign_ins (at);
        CREATE TABLE passkey_offers (
            tenant_id  text        NOT NULL,
            user_id    text        NOT NULL,
            offered_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, user_id)
        );
        CREATE TABLE rollout_flips (
            tenant_id  text        NOT NULL PRIMARY KEY,
            flipped_at timestamptz NOT NULL,
            adoption   double precision NOT NULL
        );
        ALTER TABLE tenants ADD COLUMN rollout text NULL;
        """,
        // Funnel rows marked abandoned by primary key; mirrors SQLite's migration of the same place.
        // Here it also makes the finish's update of a funnel row a HOT update (no index touched): no
        // indexed column changes any more. A fill factor below 100 was measured and not kept: the
        // pruning of each page's dead versions already leaves room for 97% of these updates (and
        // 99% of the credentials' sign-count updates), while fillfactor 75 made the table 1.6 times
        // larger (docs/benchmarks.md, "The funnel row's finish").
        """
        UPDATE ceremony_outcomes SET server_outcome = 'abandoned'
        WHERE server_outcome IS NULL
          AND NOT EXISTS (SELECT 1 FROM ceremonies c WHERE c.tenant_id = ceremony_outcomes.tenant_id AND c.id = ceremony_outcomes.ceremony_id);
        DROP INDEX ix_ceremony_outcomes_open;
        """,
        // PostgreSQL only: no index but the key may serve a key lookup of a ceremony step, even on a
        // new install, whose tables have never been analyzed (docs/operations.md, "PostgreSQL").
        // Without statistics the planner takes "tenant_id = $1" to match one row, so an index that
        // begins with tenant_id costs as little as the key, and the step's prepared statement kept a
        // plan that walks the tenant (the funnel row's finish through ix_ceremony_outcomes_begun:
        // 2.5-6.9 ms instead of 0.05) until autovacuum first analyzed the table. ANALYZE after the
        // migrations does not help: an analyzed empty table gets plans that scan it, kept as it grows.
        // The user indexes lead with user_id (a lookup by user names both columns; a read of a
        // whole tenant's credentials goes through the tenant's users, ListActivePasskeysSql). The funnel rows' index
        // keeps its columns for a tenant's time range, with a predicate every row meets that only a
        // statement naming begun_at implies, so a lookup by ceremony cannot use it. SQLite keeps its
        // indexes: without statistics it prefers the index matching the most terms (HotPathPlanTests).
        // Under the migrations' lock, in their transaction: the builds hold writes to these tables.
        """
        DROP INDEX ix_credentials_user;
        CREATE INDEX ix_credentials_user ON credentials (user_id, tenant_id);
        DROP INDEX ix_sessions_user;
        CREATE INDEX ix_sessions_user ON sessions (user_id, tenant_id);
        DROP INDEX ix_ceremony_outcomes_begun;
        CREATE INDEX ix_ceremony_outcomes_begun ON ceremony_outcomes (tenant_id, begun_at) WHERE begun_at IS NOT NULL;
        """,
    ];
}
