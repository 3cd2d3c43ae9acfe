local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
-- Splits s at each sep, keeping empty pieces, as Python's str.split(sep) does.
local function split(s, sep)
  local parts = {}
  local from = 1
  while true do
    local at, stop = string.find(s, sep, from, true)
    if not at then break end
    parts[#parts + 1] = string.sub(s, from, at - 1)
    from = stop + 1
  end
  parts[#parts + 1] = string.sub(s, from)
  return parts
end
local answers = split(text, "\n")
local fields = 0
local verdictWords = 0
for _, answer in ipairs(answers) do
  local parts = split(answer, "; ")
  fields = fields + #parts
  verdictWords = verdictWords + #split(parts[2], " ")
end
local words = 0
for _ in string.gmatch(text, "%S+") do words = words + 1 end
local spaced = split(text, " ")
print(#answers, fields, verdictWords, words, #spaced)
