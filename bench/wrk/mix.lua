-- The load mix: WRK_MIX names a file of requests, one a line:
--   METHOD <tab> PATH <tab> headers joined by a literal \n <tab> body
-- Each connection walks the list from its own offset, so every kind of request runs all the time.

local requests_ = {}
for line in io.lines(os.getenv("WRK_MIX")) do
  local method, path, headers, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  if method then
    local h = {}
    for item in (headers .. "\\n"):gmatch("(.-)\\n") do
      local name, value = item:match("^([^:]+):%s*(.*)$")
      if name then h[name] = value end
    end
    if body == "" then body = nil end
    requests_[#requests_ + 1] = wrk.format(method, path, h, body)
  end
end

local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  n = id * 7
end

function request()
  n = n + 1
  return requests_[(n % #requests_) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
