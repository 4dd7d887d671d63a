-- Shared by every scenario: one machine-readable line at the end of a wrk run.
-- wrk counts a status >= 400 as a "status" error; socket errors are connect/read/write/timeout.
threads = {}

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local wrapped = 0
   for _, t in ipairs(threads) do
      wrapped = wrapped + (t:get("wrapped") or 0)
   end
   io.write(string.format(
      "BENCH_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d wrapped=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      e.status, e.connect + e.read + e.write + e.timeout, wrapped))
end
