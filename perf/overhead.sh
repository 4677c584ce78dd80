#!/usr/bin/env bash
# Client overhead on one machine: chat completions per second, and CPU per
# request, against a canned answer that nginx serves on loopback at c=64.
# - wrk: the wire's limit (no JSON read at all);
# - qdrift: a whole collect-baseline run (arith, K samples per item): requests
#   built, sent, read, parsed, scored, checkpointed and written to the run file;
# - aiohttp in lm-evaluation-harness's style (perf/overhead_aiohttp.py).
# nginx gets one worker; everything shares the machine's cores, as in a real run.
#
#   perf/overhead.sh [REQUESTS=50000] [QDRIFT=build/qdrift]
#
# Needs nginx (nginx-light), wrk and python3-aiohttp: apt-get install nginx-light wrk python3-aiohttp
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-50000}
qdrift=${2:-build/qdrift}
concurrency=64
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { echo "overhead: $tool is missing (apt-get install nginx-light wrk python3-aiohttp)" >&2; exit 2; }
done
/usr/bin/python3 -c 'import aiohttp' 2>/dev/null || { echo "overhead: python3-aiohttp is missing" >&2; exit 2; }

dir=$(mktemp -d)
trap '[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
answer='{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"canned","choices":[{"index":0,"message":{"role":"assistant","content":"Working it out: 6 times 7 is 42. The final answer is 42","reasoning":null,"tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":40,"total_tokens":60,"completion_tokens":20}}'
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
error_log $dir/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $dir/body;
  server {
    listen 127.0.0.1:$port;
    default_type application/json;
    location = /v1/models { return 200 '{"object":"list","data":[{"id":"canned","object":"model","owned_by":"nginx"}]}'; }
    location = /v1/chat/completions { return 200 '$answer'; }
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
for _ in $(seq 50); do [ -f "$dir/nginx.pid" ] && break; sleep 0.1; done
url="http://127.0.0.1:$port/v1"

cat > "$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"canned","messages":[{"role":"user","content":"What is 6 times 7?"}],"max_tokens":256,"temperature":0.7,"seed":1}'
wrk.headers["Content-Type"] = "application/json"
LUA
wrk_rate=$(wrk -t1 -c$concurrency -d5s -s "$dir/post.lua" "$url/chat/completions" | awk '/Requests\/sec/ {print $2}')

# qdrift: arith's 1000 full-tier items, K samples each.
samples=$(( (requests + 999) / 1000 ))
sent=$(( samples * 1000 ))
/usr/bin/time -o "$dir/time" -f "%e %U %S" "$qdrift" collect-baseline --bench arith --tier full --samples "$samples" \
  -c $concurrency --no-tripwire --endpoint "$url" --model canned --out "$dir/run.json" -q >/dev/null 2>"$dir/qdrift.err" ||
  { echo "overhead: qdrift failed:" >&2; cat "$dir/qdrift.err" >&2; exit 1; }
read -r q_wall q_user q_sys < "$dir/time"

read -r a_done a_wall a_cpu < <(/usr/bin/python3 perf/overhead_aiohttp.py "$url/chat/completions" "$requests" $concurrency)

/usr/bin/python3 - "$wrk_rate" "$sent" "$q_wall" "$q_user" "$q_sys" "$a_done" "$a_wall" "$a_cpu" <<'PY'
import sys
wrk, sent, q_wall, q_user, q_sys, a_done, a_wall, a_cpu = map(float, sys.argv[1:])
q_rate, a_rate = sent / q_wall, a_done / a_wall
q_us, a_us = 1e6 * (q_user + q_sys) / sent, 1e6 * a_cpu / a_done
print(f"c=64 against nginx on loopback, one canned chat completion; {int(sent)} requests for qdrift, {int(a_done)} for aiohttp")
print(f"{'client':<34}{'completions/s':>14}{'CPU per request':>17}")
print(f"{'wrk (the wire, no JSON read)':<34}{wrk:>14,.0f}{'':>17}")
print(f"{'qdrift collect-baseline (end to end)':<34}{q_rate:>14,.0f}{q_us:>14.1f} us")
print(f"{'aiohttp, lm-eval-harness style':<34}{a_rate:>14,.0f}{a_us:>14.1f} us")
print(f"qdrift = {q_rate / wrk:.2f} x wrk, {q_rate / a_rate:.1f} x aiohttp")
PY
