#!/usr/bin/env bash
# Load run of "microcred serve": wrk clients verifying a realistic EU
# micro-credential through POST /credentials/verify for DURATION, once as a
# Data Integrity credential and once as an enveloped VC-JWT (VC-JOSE).
#
#   scripts/loadtest.sh [DURATION=30s] [CONNECTIONS=32]
#
# Needs wrk (Debian: apt-get install wrk) and curl. Every response must be
# 200: wrk prints "Non-2xx or 3xx responses" when one is not, and the
# script then fails.
set -euo pipefail
duration=${1:-30s}
conns=${2:-32}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
addr=127.0.0.1:18080
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/microcred" "$root/cmd/microcred"
"$work/microcred" serve --addr "$addr" --data-dir "$work/data" --log-format json 2>"$work/serve.log" &
pid=$!
for _ in $(seq 50); do curl -fs "http://$addr/healthz" >/dev/null && break; sleep 0.1; done
key=$(cat "$work/data/api-key")
did=did:key:z6MkjxzdZ4YXv7rqjB33FxLD7LXYQJcz735ihz4H5yA7YxeZ
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The issuer object and the id go: the service uses its configured profile
# and mints an id for each credential.
sed -e '/^  "issuer": {/,/^  },/d' -e '/^  "id": "urn:uuid:/d' \
    -e "s#\"https://beta-universite.example/\"#\"$did\"#g" \
    -e "s#\"validFrom\": \"[^\"]*\"#\"validFrom\": \"$now\"#" \
    "$root/docs/eu-profile/examples/blended-intensive-programme.json" >"$work/cred.json"

cat >"$work/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

status=0
for format in di vc+jwt; do
	# The issue response {"verifiableCredential": …} is a verify request.
	printf '{"credential": %s, "options": {"format": "%s", "credentialStatus": {"statusPurpose": "revocation"}}}' \
		"$(cat "$work/cred.json")" "$format" |
		curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary @- \
			"http://$addr/credentials/issue" >"$work/verify-$format.json"
	curl -fsS -H 'Content-Type: application/json' --data-binary @"$work/verify-$format.json" \
		"http://$addr/credentials/verify" >/dev/null
	echo "== POST /credentials/verify, $format, $conns connections, $duration"
	BODY="$work/verify-$format.json" wrk -t2 -c"$conns" -d"$duration" --latency -s "$work/post.lua" \
		"http://$addr/credentials/verify" | tee "$work/wrk.txt"
	if grep -q -e "Non-2xx" -e "Socket errors" "$work/wrk.txt"; then status=1; fi
done
exit $status
