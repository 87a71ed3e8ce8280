-- wrk script: POST /fhir/Patient with a new synthetic INS-NIR each request (valid key, made-up number).
-- Each wrk thread draws numbers from its own range so that every request creates a record.
-- Number layout: sex 1, year 85, month 07, department DD, then commune + order (6 digits) from a counter.
-- Each thread gets its own department, so no two requests reuse an INS (up to a million per thread).
local counter = 0
local base = 1850700000000
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", (10 + threads) * 1000000)
end

function init(args)
  token = args[1]
end

request = function()
  counter = counter + 1
  local number = base + offset + counter
  local key = 97 - (number % 97)
  local ins = string.format("%.0f%02d", number, key)
  local body = '{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"' .. ins ..
    '"}],"name":[{"use":"official","family":"BENCH","given":["Synthetic"]}],"gender":"male","birthDate":"1985-07-12"}'
  return wrk.format("POST", "/fhir/Patient", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/fhir+json",
  }, body)
end
