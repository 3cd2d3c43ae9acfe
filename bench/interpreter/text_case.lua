local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
local function trim(s) return (string.match(s, "^%s*(.-)%s*$")) end
local total = 0
local shouted = 0
for _, line in ipairs(lines) do
  local clean = trim("  \t" .. line .. " \n")
  total = total + #clean
  if string.find(string.upper(clean), "VERDICT WRONG", 1, true) then shouted = shouted + 1 end
  if string.sub(string.lower(clean), 1, 8) == "answer 7" then total = total + 1 end
end
local upper = string.upper(text)
local lower = string.lower(upper)
print(total, shouted, #upper, #lower, string.find(upper, "PHOTOSYNTHESIS", 1, true) - 1)
