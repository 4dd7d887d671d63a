-- POST /api/contact with a valid submission: one contact row and two outbox rows per request. Each request has an
-- address of its own, as real senders do (one address gets only a few confirmations a day).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local sent = 0
-- Each wrk thread has a Lua state of its own: the address of a fresh table tells them apart.
local tag = tostring(os.time()) .. tostring({}):gsub("%W", "")

request = function()
    sent = sent + 1
    return wrk.format(nil, nil, nil, string.format(
        '{"name":"Ada Bench","email":"ada-%s-%d@example.com","message":"Hello from the benchmark"}', tag, sent))
end
