#!/usr/bin/env bash
# Runs samples/OidcApp next to a fresh Passkeys.Server, in one command (see README.md):
#   samples/OidcApp/run.sh            → server on http://localhost:5080, app on http://localhost:5002
# It builds both, starts the server with its data in samples/OidcApp/.data/ (kept between runs),
# registers the app as a confidential OIDC client (a new secret each run) and runs the app in the
# foreground. Ctrl-C stops both. SERVER_PORT and APP_PORT choose other ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data="$here/.data"
server=http://localhost:${SERVER_PORT:-5080}
app=http://localhost:${APP_PORT:-5002}
client=oidc-app-$(date +%s)
mkdir -p "$data/server"
[ -s "$data/admin.key" ] || openssl rand -hex 32 > "$data/admin.key"
admin=$(cat "$data/admin.key")

dotnet build "$repo/src/Passkeys.Server" --nologo -v q
dotnet build "$here" --nologo -v q
dotnet "$repo/src/Passkeys.Server/bin/Debug/net10.0/Passkeys.Server.dll" \
  --urls="$server" --Passkeys:PublicBaseUrl="$server" --Passkeys:AdminKey="$admin" --Passkeys:DataDirectory="$data/server" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$server/health" >/dev/null && break; sleep 0.5; done
curl -sf "$server/health" >/dev/null || { echo "Passkeys.Server did not start" >&2; exit 1; }

secret=$(curl -sf -X POST "$server/v1/admin/tenants/default/oidc-clients" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{ \"clientId\": \"$client\", \"displayName\": \"OIDC App\", \"clientType\": \"confidential\",
        \"redirectUris\": [\"$app/signin-oidc\"], \"postLogoutRedirectUris\": [\"$app/signout-callback-oidc\"] }" \
  | sed -n 's/.*"clientSecret":"\([^"]*\)".*/\1/p')
[ -n "$secret" ] || { echo "could not register the OIDC client" >&2; exit 1; }

echo "OIDC app: $app (passkey server: $server)"
dotnet "$here/bin/Debug/net10.0/OidcApp.dll" --urls="$app" --OidcApp:Authority="$server/v1/tenants/default" \
  --OidcApp:ClientId="$client" --OidcApp:ClientSecret="$secret"
