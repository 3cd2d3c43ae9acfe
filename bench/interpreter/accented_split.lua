local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.accented_answer_lines()
local text = table.concat(lines, "\n")
local answers = shared.split(text, "\n")
local fields = 0
local verdictWords = 0
for _, answer in ipairs(answers) do
  local parts = shared.split(answer, " ; ")
  fields = fields + #parts
  verdictWords = verdictWords + #shared.split(parts[2], " ")
end
local words = 0
for _ in string.gmatch(text, "%S+") do words = words + 1 end
local early = 0
local passed = 0
local characters = 0
local prefix, suffix = "réponse 1", "note 99 über 100"
for line in string.gmatch(text .. "\n", "(.-)\n") do
  if string.sub(line, 1, #prefix) == prefix then early = early + 1 end
  if string.sub(line, -#suffix) == suffix then passed = passed + 1 end
  characters = characters + utf8.len(line)
end
print(#answers, fields, verdictWords, words, early, passed, characters)
