#!/usr/bin/env bash
# Smoke test a running CryoProtect: /livez and /readyz answer 200, and the molecules API returns a
# JSON document. Retries for a while because a freshly switched Service can need a few seconds.
#
#   .github/scripts/smoke-test.sh http://127.0.0.1:18080
#
# Env: SMOKE_API_TOKEN (optional bearer token if the API requires one),
#      SMOKE_ATTEMPTS (default 20), SMOKE_DELAY_SECONDS (default 3).
set -euo pipefail

base_url="${1:?usage: smoke-test.sh BASE_URL}"
base_url="${base_url%/}"
attempts="${SMOKE_ATTEMPTS:-20}"
delay="${SMOKE_DELAY_SECONDS:-3}"

auth=()
if [[ -n "${SMOKE_API_TOKEN:-}" ]]; then
  auth=(-H "Authorization: Bearer ${SMOKE_API_TOKEN}")
fi

body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

# check NAME PATH EXPECTED_CONTENT_TYPE_REGEX: succeed when the endpoint answers 200 (and, if given,
# with a matching content type) within the retry budget.
check() {
  local name="$1" path="$2" type_re="${3:-}" status ctype i
  for ((i = 1; i <= attempts; i++)); do
    # curl's exit status is ignored on purpose: connection errors are retried like bad statuses.
    read -r status ctype < <(curl -sS -o "$body_file" --max-time 10 "${auth[@]}" \
      -w '%{http_code} %{content_type}\n' "${base_url}${path}" 2>/dev/null || echo "000 none")
    if [[ "$status" == "200" ]] && { [[ -z "$type_re" ]] || [[ "$ctype" =~ $type_re ]]; }; then
      echo "ok   ${name}: GET ${path} -> ${status} ${ctype}"
      return 0
    fi
    echo "wait ${name}: GET ${path} -> ${status} ${ctype} (attempt ${i}/${attempts})"
    sleep "$delay"
  done
  echo "FAIL ${name}: GET ${path} did not return 200${type_re:+ with content type matching ${type_re}}; last body:" >&2
  head -c 2000 "$body_file" >&2 || true
  echo >&2
  return 1
}

check liveness /livez
check readiness /readyz
check molecules '/api/v1/molecules?limit=1' '^application/json'
echo "smoke test passed for ${base_url}"
