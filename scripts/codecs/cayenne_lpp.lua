-- cayenne_lpp.lua — Cayenne Low Power Payload (LPP) codec.
--
-- decode(bytes, meta) → SenML records; encode(records, meta) → bytes.
-- Each LPP item is: channel (1 byte), type (1 byte), data (big-endian).
-- Record names are "<type>_<channel>", with "_x"/"_y"/"_z" (accelerometer,
-- gyrometer) or "_lat"/"_lon"/"_alt" (gps) for multi-value types, e.g.
-- "temperature_3", "accelerometer_6_x", "gps_1_lat".
-- Units are SenML's where one exists: Cel, %RH, lx, Pa (barometer: LPP's
-- hPa × 100), m/s2 (accelerometer: LPP's G × 9.80665), lat, lon, m;
-- the gyrometer stays in deg/s; digital/analog/presence have no unit.

local G = 9.80665

-- code → {name, size (bytes per value), signed, div (raw / div = LPP value),
--         factor (LPP value × factor = SenML value), unit, parts}
TYPES = {
  [0] = {name = "digital_input", size = 1, signed = false, div = 1},
  [1] = {name = "digital_output", size = 1, signed = false, div = 1},
  [2] = {name = "analog_input", size = 2, signed = true, div = 100},
  [3] = {name = "analog_output", size = 2, signed = true, div = 100},
  [101] = {name = "illuminance", size = 2, signed = false, div = 1, unit = "lx"},
  [102] = {name = "presence", size = 1, signed = false, div = 1},
  [103] = {name = "temperature", size = 2, signed = true, div = 10, unit = "Cel"},
  [104] = {name = "humidity", size = 1, signed = false, div = 2, unit = "%RH"},
  [113] = {name = "accelerometer", size = 2, signed = true, div = 1000, factor = G,
           unit = "m/s2", parts = {"x", "y", "z"}},
  [115] = {name = "barometer", size = 2, signed = false, div = 10, factor = 100, unit = "Pa"},
  [134] = {name = "gyrometer", size = 2, signed = true, div = 100, unit = "deg/s",
           parts = {"x", "y", "z"}},
  [136] = {name = "gps", size = 3, signed = true,
           parts = {"lat", "lon", "alt"}, divs = {10000, 10000, 100},
           units = {"lat", "lon", "m"}},
}

local BY_NAME = {}
for code, t in pairs(TYPES) do BY_NAME[t.name] = code end

local function fmt(t)
  return (t.signed and ">i" or ">I") .. t.size
end

local function div_of(t, i) return t.divs and t.divs[i] or t.div end
local function unit_of(t, i) return t.units and t.units[i] or t.unit end

local function round(x)
  return math.floor(x + 0.5)
end

function decode(bytes, meta)
  local records = {}
  local pos = 1
  while pos <= #bytes do
    if pos + 1 > #bytes then error("truncated item at byte " .. pos) end
    local channel, code = bytes:byte(pos, pos + 1)
    local t = TYPES[code]
    if not t then error(string.format("unknown LPP type %d at byte %d", code, pos + 1)) end
    pos = pos + 2
    local count = t.parts and #t.parts or 1
    if pos + t.size * count - 1 > #bytes then
      error(string.format("truncated %s at byte %d", t.name, pos))
    end
    for i = 1, count do
      local raw
      raw, pos = string.unpack(fmt(t), bytes, pos)
      local value = raw / div_of(t, i)
      if t.factor then value = value * t.factor end
      local name = t.name .. "_" .. channel
      if t.parts then name = name .. "_" .. t.parts[i] end
      records[#records + 1] = {n = name, v = value, u = unit_of(t, i)}
    end
  end
  if #records == 0 then error("empty payload") end
  return records
end

local function parse_name(n)
  local base, channel, part = n:match("^(.-)_(%d+)_(%a+)$")
  if base and BY_NAME[base] and TYPES[BY_NAME[base]].parts then
    return BY_NAME[base], tonumber(channel), part
  end
  base, channel = n:match("^(.-)_(%d+)$")
  if base and BY_NAME[base] then return BY_NAME[base], tonumber(channel), nil end
  error("record name '" .. n .. "' is not <lpp type>_<channel>[_<part>]")
end

function encode(records, meta)
  local items = {}  -- in first-seen order: {code, channel, values by part}
  local index = {}
  for _, r in ipairs(records) do
    if type(r.v) ~= "number" then error("record '" .. r.n .. "' needs a numeric v") end
    local code, channel, part = parse_name(r.n)
    if channel > 255 then error("channel " .. channel .. " does not fit a byte") end
    local key = code .. ":" .. channel
    local item = index[key]
    if not item then
      item = {code = code, channel = channel, values = {}}
      index[key] = item
      items[#items + 1] = item
    end
    item.values[part or 1] = r.v
  end
  local out = {}
  for _, item in ipairs(items) do
    local t = TYPES[item.code]
    out[#out + 1] = string.char(item.channel, item.code)
    local count = t.parts and #t.parts or 1
    for i = 1, count do
      local key = t.parts and t.parts[i] or 1
      local v = item.values[key]
      if v == nil then error(t.name .. "_" .. item.channel .. " is missing part " .. key) end
      if t.factor then v = v / t.factor end
      local raw = round(v * div_of(t, i))
      local bits = t.size * 8
      local lo, hi = 0, (1 << bits) - 1
      if t.signed then lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1 end
      if raw < lo or raw > hi then
        error(string.format("%s_%d value %s is out of range", t.name, item.channel, v))
      end
      out[#out + 1] = string.pack(fmt(t), raw)
    end
  end
  return table.concat(out), {fport = meta.fport or 1}
end
