-- POST /api/contact with a valid submission: one contact row and two outbox rows per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Ada Bench","email":"ada@example.com","message":"Hello from the benchmark"}'
