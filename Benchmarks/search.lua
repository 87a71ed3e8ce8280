-- wrk script: ITI-67 search of a random sampled patient's current documents (scripts/bench).
-- Arguments: the physician's token, a file of record ids (one per line).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local ids = require("ids")

function init(args)
  token, patients = ids.start(args)
end

request = function()
  local patient = patients[math.random(#patients)]
  return wrk.format("GET", "/fhir/DocumentReference?patient=" .. patient .. "&status=current",
                    { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/fhir+json" })
end
