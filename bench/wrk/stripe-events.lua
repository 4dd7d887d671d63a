-- POST /webhooks/stripe, each request the next pre-signed event of BENCH_EVENTS ("<Stripe-Signature>\t<body>" lines).
-- Thread i of n takes lines i, i+n, i+2n ...; past its last line it starts again (counted as "wrapped").
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local events = {}
local next_event = 1
wrapped = 0

function init(args)
   local n = tonumber(os.getenv("BENCH_THREADS"))
   local line_no = 0
   for line in io.lines(os.getenv("BENCH_EVENTS")) do
      if line_no % n == tid then
         local tab = line:find("\t", 1, true)
         table.insert(events, { line:sub(1, tab - 1), line:sub(tab + 1) })
      end
      line_no = line_no + 1
   end
end

function request()
   if next_event > #events then
      next_event = 1
      wrapped = wrapped + 1
   end
   local event = events[next_event]
   next_event = next_event + 1
   return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["Stripe-Signature"] = event[1],
   }, event[2])
end
