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

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")  -- setup() and done()

function init(args)
  n = id * 7
end

function request()
  n = n + 1
  return requests_[(n % #requests_) + 1]
end
