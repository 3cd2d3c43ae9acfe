-- The texts the string programs work on, and the helpers Lua's library lacks; see
-- _answers.seed. A program loads it with dofile from its own folder.
local answers = {}

function answers.answer_lines()
  local topics = {"the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"}
  local verdicts = {"correct", "partly correct", "wrong", "unclear", "off topic"}
  local lines = {}
  for i = 0, 49999 do
    lines[#lines + 1] = string.format("answer %d: the model says %s; verdict %s; score %d of 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
  end
  return lines
end

function answers.accented_answer_lines()
  local topics = {"la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"}
  local verdicts = {"exact", "à moitié juste", "falsch", "unklar", "hors sujet"}
  local lines = {}
  for i = 0, 49999 do
    lines[#lines + 1] = string.format("réponse %d : le modèle dit « %s » ; Prüfung %s ; note %d über 100", i, topics[i % 7 + 1], verdicts[i % 5 + 1], i % 100)
  end
  return lines
end

-- Splits s at each sep, keeping empty pieces, as Python's str.split(sep) does.
function answers.split(s, sep)
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

function answers.trim(s) return (string.match(s, "^%s*(.-)%s*$")) end

return answers
