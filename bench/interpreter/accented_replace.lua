local topics = {"la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"}
local verdicts = {"exact", "à moitié juste", "falsch", "unklar", "hors sujet"}
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = string.format("réponse %d : le modèle dit « %s » ; Prüfung %s ; note %d über 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
end
local text = table.concat(lines, "\n")
-- The words replaced hold no pattern characters, so gsub replaces them as written.
local edited = string.gsub(text, "le modèle dit", "l’assistant répond")
edited = string.gsub(edited, " ; ", " | ")
edited = string.gsub(edited, "Prüfung falsch", "Prüfung: völlig falsch")
edited = string.gsub(edited, "é", "e")
local perAnswer = 0
for _, line in ipairs(lines) do
  perAnswer = perAnswer + utf8.len((string.gsub(string.gsub(line, "über", "sur"), "首都", "しゅと")))
end
print(utf8.len(edited), perAnswer)
