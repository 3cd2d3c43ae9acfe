local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
local text = table.concat(lines, "\n")
local answers = shared.split(text, "\n")
local fields = 0
local verdictWords = 0
for _, answer in ipairs(answers) do
  local parts = shared.split(answer, "; ")
  fields = fields + #parts
  verdictWords = verdictWords + #shared.split(parts[2], " ")
end
local words = 0
for _ in string.gmatch(text, "%S+") do words = words + 1 end
local spaced = shared.split(text, " ")
print(#answers, fields, verdictWords, words, #spaced)
