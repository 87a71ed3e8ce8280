-- wrk script: $summary of a random sampled patient (scripts/bench).
-- Arguments: the physician's token, a file of record ids (one per line).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local ids = require("ids")

function init(args)
  token, patients = ids.start(args)
end

request = function()
  return wrk.format("GET", "/fhir/Patient/" .. patients[math.random(#patients)] .. "/$summary",
                    { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/fhir+json" })
end
