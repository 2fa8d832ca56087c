-- fixed_layout.lua — a binary codec driven by a field table.
--
-- FIELDS lists the payload's fields in order; `meta.fields` (same shape,
-- e.g. from a LoRa device profile) replaces it for one call and
-- `meta.endian` ("big" | "little") replaces ENDIAN.
-- A field: {name = "temperature", type = "i16", scale = 0.01, offset = 0,
--           unit = "Cel"}; types: u8 i8 u16 i16 u24 i24 u32 i32 f32 f64,
-- bool (1 byte, vb) and skip (`size` bytes ignored; not encoded from
-- records: zero bytes are written).
-- Decoding: value = raw * scale + offset → record {n = name, v, u}.
-- Encoding: raw = round((v - offset) / scale), range-checked.

ENDIAN = "big"

FIELDS = {
  {name = "temperature", type = "i16", scale = 0.01, unit = "Cel"},
  {name = "humidity", type = "u8", scale = 0.5, unit = "%RH"},
  {name = "battery", type = "u16", scale = 0.001, unit = "V"},
  {name = "alarm", type = "bool"},
}

local TYPES = {
  u8 = {"I1", 1, 0, 0xFF}, i8 = {"i1", 1, -0x80, 0x7F},
  u16 = {"I2", 2, 0, 0xFFFF}, i16 = {"i2", 2, -0x8000, 0x7FFF},
  u24 = {"I3", 3, 0, 0xFFFFFF}, i24 = {"i3", 3, -0x800000, 0x7FFFFF},
  u32 = {"I4", 4, 0, 0xFFFFFFFF}, i32 = {"i4", 4, -0x80000000, 0x7FFFFFFF},
  f32 = {"f", 4}, f64 = {"d", 8}, bool = {"B", 1, 0, 1},
}

local function layout(meta)
  local fields = meta.fields or FIELDS
  local endian = meta.endian or ENDIAN
  if endian ~= "big" and endian ~= "little" then error("endian must be big or little") end
  return fields, endian == "big" and ">" or "<"
end

local function type_of(f)
  if f.type == "skip" then return nil end
  local t = TYPES[f.type]
  if not t then error("field '" .. tostring(f.name) .. "': unknown type '" .. tostring(f.type) .. "'") end
  return t
end

-- raw * scale without binary noise when 1/scale is a whole number (0.1, 0.01, 0.5, ...)
local function scaled(raw, scale)
  local inv = 1 / scale
  local whole = math.floor(inv + 0.5)
  if math.abs(inv - whole) < 1e-9 then return raw / whole end
  return raw * scale
end

function decode(bytes, meta)
  local fields, e = layout(meta)
  local records = {}
  local pos = 1
  for _, f in ipairs(fields) do
    local t = type_of(f)
    local size = t and t[2] or (f.size or 1)
    if pos + size - 1 > #bytes then
      error(string.format("payload too short: field '%s' needs bytes %d..%d, got %d bytes",
        tostring(f.name), pos, pos + size - 1, #bytes))
    end
    if t then
      local raw
      raw, pos = string.unpack(e .. t[1], bytes, pos)
      if f.type == "bool" then
        records[#records + 1] = {n = f.name, vb = raw ~= 0}
      else
        local v = scaled(raw, f.scale or 1) + (f.offset or 0)
        records[#records + 1] = {n = f.name, v = v, u = f.unit}
      end
    else
      pos = pos + size
    end
  end
  return records
end

function encode(records, meta)
  local fields, e = layout(meta)
  local by_name = {}
  for _, r in ipairs(records) do by_name[r.n] = r end
  local out = {}
  for _, f in ipairs(fields) do
    local t = type_of(f)
    if not t then
      out[#out + 1] = string.rep("\0", f.size or 1)
    else
      local r = by_name[f.name]
      if not r then error("no record named '" .. f.name .. "'") end
      if f.type == "bool" then
        out[#out + 1] = string.pack(e .. t[1], (r.vb or (r.v and r.v ~= 0)) and 1 or 0)
      else
        if type(r.v) ~= "number" then error("record '" .. f.name .. "' needs a numeric v") end
        local x = (r.v - (f.offset or 0)) / (f.scale or 1)
        if f.type == "f32" or f.type == "f64" then
          out[#out + 1] = string.pack(e .. t[1], x)
        else
          local raw = math.floor(x + 0.5)
          if raw < t[3] or raw > t[4] then
            error(string.format("field '%s': %s is out of range", f.name, r.v))
          end
          out[#out + 1] = string.pack(e .. t[1], raw)
        end
      end
    end
  end
  return table.concat(out), meta
end
