-- wrk script: ITI-68 retrieve of random documents' content (scripts/bench).
-- Arguments: the physician's token, a file of document ids (one per line).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local ids = require("ids")

function init(args)
  token, documents = ids.start(args)
end

request = function()
  return wrk.format("GET", "/fhir/Binary/" .. documents[math.random(#documents)], { ["Authorization"] = "Bearer " .. token })
end
