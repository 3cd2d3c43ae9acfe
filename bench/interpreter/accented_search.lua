local topics = {"la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"}
local verdicts = {"exact", "à moitié juste", "falsch", "unklar", "hors sujet"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("réponse %d : le modèle dit « %s » ; Prüfung %s ; note %d über 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
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
