local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
-- The words replaced hold no pattern characters, so gsub replaces them as written.
local edited = string.gsub(text, "the model says", "the assistant answers")
edited = string.gsub(edited, "; ", " | ")
edited = string.gsub(edited, "verdict wrong", "verdict: incorrect")
edited = string.gsub(edited, "0", "zero")
local perAnswer = 0
for _, line in ipairs(lines) do
  perAnswer = perAnswer + #(string.gsub(string.gsub(line, "score", "points"), "verdict", "grade"))
end
print(#edited, perAnswer)
