local topics = {"la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"}
local verdicts = {"exact", "à moitié juste", "falsch", "unklar", "hors sujet"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("réponse %d : le modèle dit « %s » ; Prüfung %s ; note %d über 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
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
  local parts = split(answer, " ; ")
  fields = fields + #parts
  verdictWords = verdictWords + #split(parts[2], " ")
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
