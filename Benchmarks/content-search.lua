-- wrk script: full-text search inside a random sampled patient's documents (`_content`, issue 18; scripts/bench).
-- Arguments: the physician's token, a file of record ids (one per line). The words are those of the
-- synthetic population's findings (PopulationGenerator.clinicalPhrases), so some documents match and most do not.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local ids = require("ids")

local words = { "fuite%20mitrale", "radiographie", "creatinine", "diabete", "coloscopie", "penicilline", "echographie",
                "hypertension%20arterielle", "scanner", "asthme", "fracture", "renale" }

function init(args)
  token, patients = ids.start(args)
end

request = function()
  local patient = patients[math.random(#patients)]
  local word = words[math.random(#words)]
  return wrk.format("GET", "/fhir/DocumentReference?patient=" .. patient .. "&_content=" .. word,
                    { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/fhir+json" })
end
