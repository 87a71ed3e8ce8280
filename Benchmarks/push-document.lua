-- wrk script: POST /fhir/DocumentReference with ~4 KiB of synthetic inline text content, for the
-- patient whose INS is given. Each request has a new unique id, so every push stores a document.
local counter = 0
local content = string.rep("Synthetic report line, nothing real. ", 110)

local function base64(data)
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((data:gsub(".", function(x)
    local bits, byte = "", x:byte()
    for i = 8, 1, -1 do bits = bits .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return bits
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return alphabet:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

local encoded = base64(content)
local threads = 0

function setup(thread)
  threads = threads + 1
  -- The run's start time keeps unique ids distinct across runs (wrk's warm-up, then the measure).
  thread:set("prefix", os.time() .. "." .. threads)
end

function init(args)
  token = args[1]
  ins = args[2]
end

request = function()
  counter = counter + 1
  local body = '{"resourceType":"DocumentReference","masterIdentifier":{"value":"urn:oid:1.2.250.1.999.' .. prefix .. "." .. counter ..
    '"},"status":"current","type":{"coding":[{"system":"http://loinc.org","code":"11488-4"}]},' ..
    '"subject":{"reference":"Patient?identifier=urn:oid:1.2.250.1.213.1.4.11|' .. ins .. '"},"date":"2026-06-12T10:00:00Z",' ..
    '"content":[{"attachment":{"contentType":"text/plain","data":"' .. encoded .. '"}}]}'
  return wrk.format("POST", "/fhir/DocumentReference", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/fhir+json",
  }, body)
end
