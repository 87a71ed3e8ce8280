-- Shared by the wrk scripts of scripts/bench: reads one id per line from a file given as an argument.
local ids = {}

function ids.load(path)
  local list = {}
  for line in io.lines(path) do
    if line ~= "" then list[#list + 1] = line end
  end
  assert(#list > 0, "no ids in " .. path)
  return list
end

return ids
