#!/usr/bin/env bash
# Measures what a cheaper model costs in wrong plans with planwise sim's model tier knob
# (BENCHMARKS.md, "The model tier knob"). Not part of CI: run it by hand.
#   go build -o /tmp/pw ./cmd/planwise
#   .ci/tier-tradeoff.sh MODEL on|off [N]   -> /tmp/tier_MODEL_on.jsonl, one line a request
# Needs jq and ../shared/data beside the repository. Loopback ports 18095-18096.
set -euo pipefail
M=$1; KNOB=$2; N=${3:-150}
PW=${PW:-/tmp/pw}
DATA="$(dirname "$0")/../../shared/data/taskbench/dailylifeapis"
ARGS=(); [ "$KNOB" = on ] && ARGS=(--model-errors default)
"$PW" sim --addr 127.0.0.1:18095 --latency-scale 0 --seed 7 "${ARGS[@]}" >/dev/null 2>&1 & SP=$!
OPENAI_BASE_URL=http://127.0.0.1:18095/v1 PLANWISE_STORE__DRIVER=memory PLANWISE_CACHE__ENABLED=false \
  PLANWISE_ROUTING__SIMPLE="$M" PLANWISE_ROUTING__MODERATE="$M" PLANWISE_ROUTING__COMPLEX="$M" \
  "$PW" serve --addr 127.0.0.1:18096 --tools "$DATA/tool_desc.json" >/dev/null 2>&1 & VP=$!
trap 'kill $VP $SP 2>/dev/null; wait $VP $SP 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf 127.0.0.1:18096/healthz >/dev/null && break; sleep 0.2; done
head -n "$N" "$DATA/user_requests.json" | jq -r .user_request | while IFS= read -r r; do
  jq -nc --arg r "$r" '{request:$r,options:{no_cache:true}}' | curl -s 127.0.0.1:18096/api/v1/plan -d @- |
    jq -c '{s:(.source // .error.code), m:.model, a:(.attempts // .error.attempts), c:(.cost_usd // .error.cost_usd), t:[.plan.steps[]?.tool]}'
done > "/tmp/tier_${M}_${KNOB}.jsonl"
