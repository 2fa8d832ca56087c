-- rename_fields.lua — renames and drops fields.
--
-- SenML: a record is matched by its full name ("dev:temp") or by its last
-- segment after ':' or '/' ("temp"); a renamed record keeps its prefix.
-- JSON: top-level members of the payload are matched by name.
-- A SenML message whose records are all dropped is dropped.
-- Edit RENAME and DROP.

RENAME = {
  temp = "temperature",
  hum = "humidity",
  bat = "battery",
}

DROP = {
  rssi = true,
  debug = true,
}

local function split(name)
  local prefix, leaf = name:match("^(.*[:/])([^:/]*)$")
  if prefix then return prefix, leaf end
  return "", name
end

local function rename_record(r)
  if DROP[r.n] then return nil end
  local prefix, leaf = split(r.n)
  if DROP[leaf] then return nil end
  if RENAME[r.n] then
    r.n = RENAME[r.n]
  elseif RENAME[leaf] then
    r.n = prefix .. RENAME[leaf]
  end
  return r
end

function transform(msg)
  if msg.records then
    local kept = {}
    for _, r in ipairs(msg.records) do
      local out = rename_record(r)
      if out then kept[#kept + 1] = out end
    end
    if #kept == 0 then return nil end
    msg.records = kept
    return msg
  end
  if type(msg.payload) == "table" then
    local out = {}
    for k, v in pairs(msg.payload) do
      if not DROP[k] then out[RENAME[k] or k] = v end
    end
    msg.payload = out
  end
  return msg
end
