local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
local words = {"Paris", "photosynthesis", "answer 49999:", "score 99 of", "quantum", "mitochondria", "Paris is", "verdict maybe", "answer 50000", "the model said", "two divisorz", "binary search"}
local found = 0
local positions = 0
for round = 1, 4 do
  for _, word in ipairs(words) do
    if string.find(text, word, 1, true) then found = found + 1 end
    local at = string.find(text, word, 1, true)
    if at then positions = positions + at - 1 end
  end
end
print(#text, found, positions)
