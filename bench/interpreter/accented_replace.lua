local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.accented_answer_lines()
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
