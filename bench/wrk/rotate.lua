-- Rotates over the requests listed in a file (one per line: method, path, headers and
-- body separated by \31; headers "Name: value" separated by \30), starting each thread
-- at a different place. In bodies, every "{n}" becomes a number unique to the run; a
-- header with the value "{ip}" gets an address unique to the request.
-- usage: wrk ... -s rotate.lua <url> -- <requests file> <run stamp> [<start> [<threads>]]
-- <start>: requests already used by earlier slices (writes that use up what they change).
-- <threads>: given for such writes: the threads then take turns along the file from
-- <start> (thread i the i-th request of every <threads>), so that together they use one
-- run of requests and none twice; the result's "used" says how far they got.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local method, path, headers, body = line:match("^(.-)\31(.-)\31(.-)\31(.*)$")
    local parsed = {}
    for pair in headers:gmatch("[^\30]+") do
      local name, value = pair:match("^(.-): (.*)$")
      parsed[name] = value
    end
    table.insert(requests, {method, path, parsed, body})
  end
  stamp = args[2] or "0"
  counter = 0
  turns = tonumber(args[4] or "0")
  if turns > 0 then
    offset = tonumber(args[3] or "0") + id - 1
  else
    offset = tonumber(args[3] or "0") + math.floor(#requests * (id - 1) / 8)
  end
end

function request()
  counter = counter + 1
  local r
  if turns > 0 then
    r = requests[(offset + (counter - 1) * turns) % #requests + 1]
  else
    r = requests[(offset + counter) % #requests + 1]
  end
  local headers, body = r[3], r[4]
  if body:find("{n}", 1, true) then
    local k = 0
    body = body:gsub("{n}", function()
      k = k + 1
      return string.format("%s-%d-%d-%d", stamp, id, counter, k)
    end)
  end
  for name, value in pairs(headers) do
    if value == "{ip}" then
      local copy = {}
      for n, v in pairs(headers) do copy[n] = v end
      copy[name] = string.format("10.%d.%d.%d", id, math.floor(counter / 256) % 256, counter % 256)
      headers = copy
      break
    end
  end
  if body == "" then body = nil end
  return wrk.format(r[1], r[2], headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  -- Requests made (sent or not) by the thread that made the most, times the threads.
  local most = 0
  for _, thread in ipairs(threads) do
    most = math.max(most, thread:get("counter") or 0)
  end
  io.write(string.format(
    "RESULT {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p99_us\": %d, " ..
    "\"status_errors\": %d, \"socket_errors\": %d, \"used\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    most * #threads))
end
