-- wrk script: the peer of commands.lua, GET /health/live on the same server.
--
--   wrk -t2 -c64 -d15s -s health.lua http://127.0.0.1:PORT
--
-- Same wrk, threads and connections as the command run, and like commands.lua it has a Lua
-- request() and response() per request (so the load generator does comparable work per
-- request; a script-less wrk would send a pre-built request and skip the body). /health/live
-- answers a constant body without touching the command processor or Kafka: it is the HTTP
-- stack's own ceiling on this machine. done() prints one JSON line (prefixed "RESULT ").

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

non2xx = 0
local req

function init(args)
   req = wrk.format("GET", "/health/live")
end

function request()
   return req
end

function response(status, hdrs, body)
   if status ~= 200 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
   local e = 0
   for _, t in ipairs(threads) do e = e + t:get("non2xx") end
   local secs = summary.duration / 1e6
   local errs = summary.errors
   local ok = summary.requests - errs.status
   io.write(string.format(
      'RESULT {"kind":"health","requests":%d,"ok":%d,"duration_s":%.3f,"ok_per_s":%.1f,"non2xx":%d,"socket_errors":%d,' ..
      '"p50_ms":%.3f,"p99_ms":%.3f}\n',
      summary.requests, ok, secs, ok / secs, e, errs.connect + errs.read + errs.write + errs.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
