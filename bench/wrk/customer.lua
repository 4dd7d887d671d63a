-- POST /stripe/customer with the bearer token (BENCH_TOKEN) and an empty body: the caller's Stripe customer. The
-- token's user is mapped before the run, so every request is a repeat call (200, created:false).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
