local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
local early = 0
local perfect = 0
local wrong = 0
local characters = 0
local suffix = "score 99 of 100"
for line in string.gmatch(text .. "\n", "(.-)\n") do
  if string.sub(line, 1, 8) == "answer 1" then early = early + 1 end
  if string.sub(line, -#suffix) == suffix then perfect = perfect + 1 end
  if string.find(line, "verdict wrong", 1, true) then wrong = wrong + 1 end
  characters = characters + #line
end
print(early, perfect, wrong, characters)
