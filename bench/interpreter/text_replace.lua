local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
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
