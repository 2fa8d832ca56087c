-- thingsboard_kv.lua — ThingsBoard key-value telemetry (JSON) → SenML.
--
-- Accepts the ThingsBoard telemetry shapes:
--   {"temperature": 42.2, "active": false, "model": "x"}
--   {"ts": 1451649600512, "values": {"temperature": 42.2}}
--   [ ...either of the above... ]
-- Numbers become `v`, booleans `vb`, strings `vs`, objects and arrays `vs`
-- holding their JSON text; nulls are skipped. `ts` (ms) becomes the record
-- time; without it records take the message time. Keys become record names
-- (characters outside [A-Za-z0-9:./_-] replaced by '_'); records are sorted
-- by time, then name. SenML messages pass unchanged.

local function name_of(key)
  local n = key:gsub("[^%w:./_-]", "_")
  return n
end

local function add(records, key, value, t)
  if value == conflux.json.null then return end
  local r = {n = name_of(key), t = t}
  local kind = type(value)
  if kind == "number" then
    r.v = value
  elseif kind == "boolean" then
    r.vb = value
  elseif kind == "string" then
    r.vs = value
  else
    r.vs = conflux.json.encode(value)
  end
  records[#records + 1] = r
end

local function add_entry(records, entry)
  if type(entry) ~= "table" then error("telemetry must be an object or an array of objects") end
  if entry.ts ~= nil and type(entry.values) == "table" then
    local t = entry.ts / 1000
    for k, v in pairs(entry.values) do add(records, k, v, t) end
  else
    for k, v in pairs(entry) do add(records, k, v, nil) end
  end
end

function transform(msg)
  if msg.records then return msg end
  local p = msg.payload
  local records = {}
  if type(p) == "table" and #p > 0 then
    for _, entry in ipairs(p) do add_entry(records, entry) end
  else
    add_entry(records, p)
  end
  if #records == 0 then return nil end
  table.sort(records, function(a, b)
    local ta, tb = a.t or 0, b.t or 0
    if ta ~= tb then return ta < tb end
    return a.n < b.n
  end)
  return {records = records}
end
