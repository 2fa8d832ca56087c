-- unit_conversion.lua — converts SenML record values to SenML/SI units
-- (RFC 8428 §12.1): °F → Cel, kWh/Wh → J, km/h/mph → m/s, hPa/mbar/psi → Pa,
-- kW → W, mA → A, mV → V, min/h → s.
--
-- Records whose unit is not listed pass unchanged; JSON messages pass
-- unchanged. Both `v` and `s` (sum) are converted. Extend CONVERSIONS:
-- either `scale` (value * scale) or `f` (a function of the value).

CONVERSIONS = {
  degF = {to = "Cel", f = function(v) return (v - 32) * 5 / 9 end},
  ["°F"] = {to = "Cel", f = function(v) return (v - 32) * 5 / 9 end},
  Fah = {to = "Cel", f = function(v) return (v - 32) * 5 / 9 end},
  kWh = {to = "J", scale = 3.6e6},
  Wh = {to = "J", scale = 3600},
  kW = {to = "W", scale = 1000},
  ["km/h"] = {to = "m/s", scale = 1 / 3.6},
  mph = {to = "m/s", scale = 0.44704},
  hPa = {to = "Pa", scale = 100},
  mbar = {to = "Pa", scale = 100},
  psi = {to = "Pa", scale = 6894.757293168},
  mA = {to = "A", scale = 0.001},
  mV = {to = "V", scale = 0.001},
  min = {to = "s", scale = 60},
  h = {to = "s", scale = 3600},
}

local function apply(c, x)
  if c.f then return c.f(x) end
  return x * c.scale
end

function transform(msg)
  if not msg.records then return msg end
  for _, r in ipairs(msg.records) do
    local c = r.u and CONVERSIONS[r.u]
    if c then
      if r.v then r.v = apply(c, r.v) end
      if r.s then r.s = apply(c, r.s) end
      r.u = c.to
    end
  end
  return msg
end
