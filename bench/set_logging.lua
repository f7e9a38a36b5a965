-- wrk script for HomeStrength's logged-in pages: the set-logging POST (mode "post", the
-- default) or the plan page (mode "plan"). Written for bench/run.py, which creates the athletes
-- and the config file; run by hand as
--
--   wrk -t8 -c8 -d10s -s bench/set_logging.lua http://127.0.0.1:PORT -- CONFIG [post|plan]
--
-- CONFIG holds one tab-separated line per athlete:
--   plan_path  post_path  cookie  csrf_token  position  set_number  reps  rir
-- Thread i acts as athlete i (line i) with its own cookie, CSRF token and open session; use as
-- many threads as connections (-t == -c) so that a thread is exactly one connection.
--
-- POST: every request carries a fresh UUID4 client_id, so no request is a replay. A 302 with
-- no "messages" cookie is a stored set: set_number then moves to the next set. A 302 that sets
-- a "messages" cookie is the view's "the plan had moved on" answer (stale, nothing stored);
-- set_number is not advanced on a stale or failed answer, since nothing was stored. done()
-- prints one "BENCH" line per thread, which run.py checks against the rows in the database.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Globals, so that done() can read them from each thread with thread:get().
ok = 0       -- POST: stored sets (302 without a message); plan: 200 answers
stale = 0    -- POST: 302 with "the plan had moved on" (not stored)
other = 0    -- any other status
first_set = 0
athlete_line = 0
mode = "post"

local plan_path, post_path, headers, body_prefix, position, set_number, reps, rir
local plan_request

local function split_tabs(line)
  local fields = {}
  for field in line:gmatch("[^\t]+") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  local config = args[1]
  mode = args[2] or "post"
  if config == nil then
    error("set_logging.lua needs the config file: wrk ... -s set_logging.lua URL -- CONFIG")
  end
  local n = 0
  local fields
  for line in io.lines(config) do
    if line ~= "" then
      n = n + 1
      if n == id then
        fields = split_tabs(line)
      end
    end
  end
  if fields == nil or #fields < 8 then
    error("no athlete line " .. tostring(id) .. " in " .. config .. " (use -t == -c <= lines)")
  end
  athlete_line = id
  plan_path, post_path = fields[1], fields[2]
  local cookie, csrf = fields[3], fields[4]
  position, set_number = tonumber(fields[5]), tonumber(fields[6])
  reps, rir = tonumber(fields[7]), tonumber(fields[8])
  first_set = set_number
  headers = {
    ["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  body_prefix = "csrfmiddlewaretoken=" .. csrf
  plan_request = wrk.format("GET", plan_path, { ["Cookie"] = cookie })
  -- Different seed per thread and per run (os.time() moves between wrk runs).
  math.randomseed(os.time() * 1000 + id * 7919)
  for _ = 1, 10 do
    math.random()
  end
end

local function uuid4()
  local r = math.random
  return string.format(
    "%04x%04x-%04x-4%03x-%04x-%04x%04x%04x",
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff),
    r(0, 0x3fff) + 0x8000, r(0, 0xffff), r(0, 0xffff), r(0, 0xffff)
  )
end

function request()
  if mode == "plan" then
    return plan_request
  end
  local body = body_prefix
    .. "&client_id=" .. uuid4()
    .. "&position=" .. position
    .. "&set_number=" .. set_number
    .. "&reps=" .. reps
    .. "&load=&rir=" .. rir
    .. "&pain=0"
  return wrk.format("POST", post_path, headers, body)
end

function response(status, resp_headers, body)
  if mode == "plan" then
    if status == 200 then ok = ok + 1 else other = other + 1 end
    return
  end
  if status == 302 then
    local cookie = resp_headers["Set-Cookie"] or resp_headers["set-cookie"] or ""
    if cookie:find("messages=", 1, true) then
      stale = stale + 1
    else
      ok = ok + 1
      set_number = set_number + 1
    end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format(
      "BENCH mode=%s athlete=%d ok=%d stale=%d other=%d first_set=%d\n",
      thread:get("mode"), thread:get("athlete_line"), thread:get("ok"), thread:get("stale"),
      thread:get("other"), thread:get("first_set")
    ))
  end
end
