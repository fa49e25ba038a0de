-- wrk script: a realistic command mix against order-command, at wrk's full speed.
--
--   wrk -t2 -c64 -d15s -s commands.lua http://127.0.0.1:PORT -- RUNPREFIX
--
-- Each "session" walks one order through its life, one command at a time:
--   4 in 5 orders: place (1 item) -> add item -> add item -> confirm -> ship -> deliver  (6 commands)
--   1 in 5 orders: place (1 item) -> add item -> cancel                                   (3 commands)
-- i.e. 5.4 commands per order on average. Every order id is unique (RUNPREFIX-thread-n), every
-- command carries its own Idempotency-Key.
--
-- A command on an order must wait for the answer to the previous one (the service keeps one
-- event in flight per order). wrk has one request in flight per connection but does not tell
-- the script which connection asks, so each wrk thread keeps a queue of orders whose last
-- answer arrived: request() takes the next command of the oldest such order, or places a new
-- order when none is waiting; response() reads the orderId out of the answer's JSON body and
-- queues that order's next step. So every connection always has a command in flight, and no
-- order ever has two.
--
-- done() prints one JSON line (prefixed "RESULT ") for run.sh.

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

local prefix = "bench"
local counter = 0
local orders = {}            -- orderId -> { step = last step sent, cancel = bool, n = number }
local ready = {}             -- FIFO of orders whose last command was answered
local head, tail = 1, 0
local headers = { ["Content-Type"] = "application/json" }

-- counters read back by done()
placed, finished, cancelled_orders, non2xx, unknown = 0, 0, 0, 0, 0

function init(args)
   if args[1] then prefix = args[1] end
   -- A bearer token (run.sh's auth phase): every command carries it.
   if args[2] then headers["Authorization"] = "Bearer " .. args[2] end
end

local full = { "place", "add", "add", "confirm", "ship", "deliver" }
local short = { "place", "add", "cancel" }

local function build(o)
   local steps = o.cancel and short or full
   local step = steps[o.step]
   local id = o.id
   headers["Idempotency-Key"] = id .. "-" .. o.step
   if step == "place" then
      return wrk.format("POST", "/orders", headers,
         '{"orderId":"' .. id .. '","customerId":"c-' .. (o.n % 1000) ..
         '","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":1250}]}')
   elseif step == "add" then
      return wrk.format("POST", "/orders/" .. id .. "/items", headers,
         '{"sku":"SKU-' .. o.step .. '","quantity":1,"unitPrice":' .. (100 * o.step) .. '}')
   elseif step == "confirm" then
      return wrk.format("POST", "/orders/" .. id .. "/confirm", headers)
   elseif step == "ship" then
      return wrk.format("POST", "/orders/" .. id .. "/ship", headers,
         '{"carrier":"DHL","trackingNumber":"JD' .. o.n .. '"}')
   elseif step == "deliver" then
      return wrk.format("POST", "/orders/" .. id .. "/deliver", headers)
   else
      return wrk.format("POST", "/orders/" .. id .. "/cancel", headers, '{"reason":"changed my mind"}')
   end
end

function request()
   local o
   if head <= tail then
      o = ready[head]
      ready[head] = nil
      head = head + 1
   else
      counter = counter + 1
      o = { id = prefix .. "-" .. tid .. "-" .. counter, step = 0, cancel = (counter % 5 == 0), n = counter }
      orders[o.id] = o
   end
   o.step = o.step + 1
   return build(o)
end

function response(status, hdrs, body)
   if status ~= 200 and status ~= 201 then
      -- A problem answer does not name the order: it is dropped (counted, never retried).
      non2xx = non2xx + 1
      if non2xx <= 3 then io.stderr:write("non-2xx: " .. status .. " " .. string.sub(body or "", 1, 300) .. "\n") end
      return
   end
   local id = string.match(body, '"orderId":"([^"]+)"')
   local o = id and orders[id]
   if not o then
      unknown = unknown + 1
      return
   end
   if o.step == 1 then placed = placed + 1 end
   local steps = o.cancel and short or full
   if o.step >= #steps then
      orders[id] = nil
      finished = finished + 1
      if o.cancel then cancelled_orders = cancelled_orders + 1 end
   else
      tail = tail + 1
      ready[tail] = o
   end
end

function done(summary, latency, requests)
   local p, f, c, e, u = 0, 0, 0, 0, 0
   for _, t in ipairs(threads) do
      p = p + t:get("placed")
      f = f + t:get("finished")
      c = c + t:get("cancelled_orders")
      e = e + t:get("non2xx")
      u = u + t:get("unknown")
   end
   local secs = summary.duration / 1e6
   local errs = summary.errors
   local ok = summary.requests - errs.status
   io.write(string.format(
      'RESULT {"kind":"commands","requests":%d,"ok":%d,"duration_s":%.3f,"ok_per_s":%.1f,' ..
      '"non2xx":%d,"socket_errors":%d,"unknown":%d,"orders_placed":%d,"orders_finished":%d,"orders_cancelled":%d,' ..
      '"p50_ms":%.3f,"p99_ms":%.3f}\n',
      summary.requests, ok, secs, ok / secs, e, errs.connect + errs.read + errs.write + errs.timeout, u, p, f, c,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
