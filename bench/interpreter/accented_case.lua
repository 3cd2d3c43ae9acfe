local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.accented_answer_lines()
local text = table.concat(lines, "\n")
-- string.upper and string.lower change ASCII letters only; the accented letters of the
-- text are mapped by hand, and ß becomes SS as in the other languages.
local toUpper = {["é"] = "É", ["è"] = "È", ["à"] = "À", ["ü"] = "Ü", ["ä"] = "Ä", ["ß"] = "SS"}
local toLower = {}
for small, capital in pairs(toUpper) do
  if small ~= "ß" then toLower[capital] = small end
end
local function upper(s) return (string.gsub(string.upper(s), "\xC3[\x80-\xBF]", toUpper)) end
local function lower(s) return (string.gsub(string.lower(s), "\xC3[\x80-\xBF]", toLower)) end
local total = 0
local shouted = 0
local prefix = "réponse 7"
for _, line in ipairs(lines) do
  local clean = shared.trim("  \t" .. line .. " \n")
  total = total + utf8.len(clean)
  if string.find(upper(clean), "PRÜFUNG FALSCH", 1, true) then shouted = shouted + 1 end
  if string.sub(lower(clean), 1, #prefix) == prefix then total = total + 1 end
end
local up = upper(text)
local low = lower(up)
local at = string.find(up, "BINÄRBAUM", 1, true)
print(total, shouted, utf8.len(up), utf8.len(low), utf8.len(up, 1, at - 1))
