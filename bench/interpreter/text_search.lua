local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
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
