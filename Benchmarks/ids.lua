-- Shared by the wrk scripts of scripts/bench. Their arguments are a bearer token and a file of ids
-- (one per line); `start` reads both and seeds each wrk thread's random draws differently.
local ids = {}

function ids.start(args)
  local list = {}
  for line in io.lines(args[2]) do
    if line ~= "" then list[#list + 1] = line end
  end
  assert(#list > 0, "no ids in " .. args[2])
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  return args[1], list
end

return ids
