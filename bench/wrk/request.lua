-- One request shape for every page the benchmark measures, read from the environment:
--   WRK_METHOD (GET/POST), WRK_HEADERS (lines "Name: value"), WRK_BODIES (a file, one body a
--   line, used in turn), WRK_TOKENS (a file, one API token a line, sent as Bearer in turn).
-- At the end it prints one JSON line with the figures the Python side reads (report.lua).

local function lines(path)
  local out = {}
  if path and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then out[#out + 1] = line end
    end
  end
  return out
end

local method = os.getenv("WRK_METHOD") or "GET"
local bodies = lines(os.getenv("WRK_BODIES"))
local tokens = lines(os.getenv("WRK_TOKENS"))
local base_headers = {}
for line in (os.getenv("WRK_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then base_headers[name] = value end
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")  -- setup() and done()

function init(args)
  n = id * 7919
end

function request()
  n = n + 1
  local headers = {}
  for k, v in pairs(base_headers) do headers[k] = v end
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] end
  local body = nil
  if #bodies > 0 then body = bodies[(n % #bodies) + 1] end
  return wrk.format(method, nil, headers, body)
end
