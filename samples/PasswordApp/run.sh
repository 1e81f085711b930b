#!/usr/bin/env bash
# Runs samples/PasswordApp next to a fresh Passkeys.Server, in one command (see README.md):
#   samples/PasswordApp/run.sh            → server on http://localhost:5080, app on http://localhost:5090
# It builds both, starts the server with its data in samples/PasswordApp/.data/ (kept between runs),
# lets the app's origin run ceremonies, sets a rollout that offers every user a passkey after a
# password sign-in (PROMPT=conditional for the quiet upgrade), makes an API key for the app, and
# runs the app in the foreground. Ctrl-C stops both. SERVER_PORT and APP_PORT choose other ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data="$here/.data"
server=http://localhost:${SERVER_PORT:-5080}
app=http://localhost:${APP_PORT:-5090}
prompt=${PROMPT:-modal}
mkdir -p "$data/server"
[ -s "$data/admin.key" ] || openssl rand -hex 32 > "$data/admin.key"
admin=$(cat "$data/admin.key")

dotnet build "$repo/src/Passkeys.Server" --nologo -v q
dotnet build "$here" --nologo -v q
dotnet "$repo/src/Passkeys.Server/bin/Debug/net10.0/Passkeys.Server.dll" \
  --urls="$server" --Passkeys:AdminKey="$admin" --Passkeys:DataDirectory="$data/server" \
  --Passkeys:DefaultTenant:Origins:1="$app" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$server/health" >/dev/null && break; sleep 0.5; done
curl -sf "$server/health" >/dev/null || { echo "Passkeys.Server did not start" >&2; exit 1; }

curl -sf -X PUT "$server/v1/admin/tenants/default" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{ \"id\": \"default\", \"rpId\": \"localhost\", \"rpName\": \"Passkeys\", \"origins\": [\"$server\", \"$app\"], \"selfSignUp\": true,
        \"rollout\": { \"offerPercentage\": 100, \"offerAfter\": \"other-method-sign-in\", \"prompt\": \"$prompt\" } }" >/dev/null
key=$(curl -sf -X POST "$server/v1/admin/tenants/default/api-keys" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d '{ "name": "password-app" }' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[ -n "$key" ] || { echo "could not create an API key" >&2; exit 1; }

echo "Password app: $app (passkey server: $server)"
dotnet "$here/bin/Debug/net10.0/PasswordApp.dll" --urls="$app" --PasswordApp:PasskeysServer="$server" \
  --PasswordApp:ApiKey="$key" --PasswordApp:UsersFile="$data/users.json"
