local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.accented_answer_lines()
local text = table.concat(lines, "\n")
local words = {"Paris", "Binärbaum", "réponse 49999 :", "note 99 über", "Quantenphysik", "mitochondrie", "首都です", "Prüfung vielleicht", "réponse 50000", "le modèle disait", "zwei Teilerß", "東京タワー"}
local found = 0
local positions = 0
for round = 1, 4 do
  for _, word in ipairs(words) do
    if string.find(text, word, 1, true) then found = found + 1 end
    local at = string.find(text, word, 1, true)
    -- string.find counts bytes; the other languages count characters.
    if at then positions = positions + utf8.len(text, 1, at - 1) end
  end
end
print(utf8.len(text), found, positions)
