-- wrk script: POST /fhir/Patient with a new synthetic INS-NIR each request (valid key, made-up number).
-- Each wrk thread draws numbers from its own range so that every request creates a record.
local counter = 0
local base = 1850775000000

function setup(thread)
  thread:set("offset", math.random(0, 900) * 1000000)
end

function init(args)
  token = args[1]
end

request = function()
  counter = counter + 1
  local number = base + offset + counter
  local key = 97 - (number % 97)
  local ins = string.format("%13d%02d", number, key)
  local body = '{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"' .. ins ..
    '"}],"name":[{"use":"official","family":"BENCH","given":["Synthetic"]}],"gender":"male","birthDate":"1985-07-12"}'
  return wrk.format("POST", "/fhir/Patient", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/fhir+json",
  }, body)
end
