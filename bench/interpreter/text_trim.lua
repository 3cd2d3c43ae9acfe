local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
local text = table.concat(lines, "\n")
local function starts_with(s, prefix) return string.sub(s, 1, #prefix) == prefix end
local function ends_with(s, suffix) return string.sub(s, -#suffix) == suffix end
-- shared.trim's pattern backtracks at every space of a long text: whitespace found by bytes.
local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end
local function trim(s)
  local from, to = 1, #s
  while from <= to and is_space(string.byte(s, from)) do from = from + 1 end
  while to >= from and is_space(string.byte(s, to)) do to = to - 1 end
  return string.sub(s, from, to)
end
local headed = 0
local closed = 0
local same = 0
local clean = ""
for round = 1, 10 do
  local padded = "\n\n   \t" .. text .. " \r\n\n  "
  clean = trim(padded)
  if starts_with(clean, "answer 0: the model says") then headed = headed + 1 end
  if starts_with(padded, "answer 0:") then headed = headed + 100 end
  if ends_with(clean, "score 99 of 100") then closed = closed + 1 end
  if ends_with(padded, "score 99 of 100") then closed = closed + 100 end
  if clean == text then same = same + 1 end
end
print(headed, closed, same, #clean)
