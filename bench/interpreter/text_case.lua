local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
local text = table.concat(lines, "\n")
local total = 0
local shouted = 0
for _, line in ipairs(lines) do
  local clean = shared.trim("  \t" .. line .. " \n")
  total = total + #clean
  if string.find(string.upper(clean), "VERDICT WRONG", 1, true) then shouted = shouted + 1 end
  if string.sub(string.lower(clean), 1, 8) == "answer 7" then total = total + 1 end
end
local upper = string.upper(text)
local lower = string.lower(upper)
print(total, shouted, #upper, #lower, string.find(upper, "PHOTOSYNTHESIS", 1, true) - 1)
