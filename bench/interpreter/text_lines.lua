local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
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
