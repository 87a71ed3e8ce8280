-- wrk script: POST /fhir/DocumentReference of ~4 KB of synthetic text to a random sampled patient
-- (scripts/bench). Each push has its own unique id and its own content (a numbered first line), so
-- every push stores a new entry and a new blob, fsynced, as real pushes do.
-- Arguments: the physician's token, a file of record ids (one per line).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local ids = require("ids")
local counter = 0
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 4 - (c and 0 or (b and 1 or 2))
    for j = 1, 4 do
      if j <= chars then
        local index = math.floor(n / 64 ^ (4 - j)) % 64
        out[#out + 1] = alphabet:sub(index + 1, index + 1)
      else
        out[#out + 1] = "="
      end
    end
  end
  return table.concat(out)
end

-- The fixed part's length is a multiple of 3, so base64(first line .. fixed) = base64(first line) .. base64(fixed)
-- when the first line's length is a multiple of 3 too.
local fixed = base64(string.rep("Synthetic report line, nothing real. ", 111))  -- 37 * 111 bytes
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("prefix", os.time() .. "." .. threads)
end

function init(args)
  token, patients = ids.start(args)
end

request = function()
  counter = counter + 1
  local first = string.format("Push %-30s\n", prefix .. "." .. counter)  -- 36 bytes
  local body = '{"resourceType":"DocumentReference","masterIdentifier":{"value":"urn:oid:1.2.250.1.999.' .. prefix .. "." .. counter ..
    '"},"status":"current","type":{"coding":[{"system":"http://loinc.org","code":"11488-4"}]},' ..
    '"subject":{"reference":"Patient/' .. patients[math.random(#patients)] .. '"},"date":"2026-06-12T10:00:00Z",' ..
    '"content":[{"attachment":{"contentType":"text/plain","data":"' .. base64(first) .. fixed .. '"}}]}'
  return wrk.format("POST", "/fhir/DocumentReference", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/fhir+json",
  }, body)
end
