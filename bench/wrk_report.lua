-- wrk script of bench/run: at the end, one line "WRK_JSON {...}" with the latency percentiles (ms), the number
-- of requests, the errors (socket errors and answers outside 2xx/3xx) and the throughput.
done = function(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "bytes": %d, "rps": %.2f, "errors": %d, "status_errors": %d, '
      .. '"socket_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, '
      .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f, "max_ms": %.3f}\n',
    summary.requests, seconds, summary.bytes, summary.requests / seconds, socket_errors + e.status, e.status,
    socket_errors, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000))
end
