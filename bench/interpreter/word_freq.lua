-- Word frequencies in 30,000 generated sentences: split into lines and words, lower-case,
-- strip punctuation, count in a table, and rank by count, then alphabetically.
local vocabulary = {"The", "model", "answer", "is", "correct", "Seed", "notebook", "cache", "reproducible", "prompt", "token", "result", "output", "café", "naïve", "temperature", "fingerprint", "request", "response", "value", "a", "of"}
local seed = 7
local function next_random(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n
end
local sentences = {}
for i = 0, 29999 do
  local words = {}
  for j = 1, 5 + next_random(8) do words[#words + 1] = vocabulary[next_random(22) + 1] end
  sentences[#sentences + 1] = table.concat(words, " ") .. (i % 3 == 0 and "!" or ", really.")
end
local text = table.concat(sentences, "\n")
local counts = {}
local distinct = 0
local total = 0
for line in text:gmatch("[^\n]+") do
  for word in line:lower():gmatch("%S+") do
    local bare = word:gsub("[,.!]", "")
    if counts[bare] == nil then distinct = distinct + 1 end
    counts[bare] = (counts[bare] or 0) + 1
    total = total + 1
  end
end
local ranked = {}
for word, count in pairs(counts) do ranked[#ranked + 1] = {word, count} end
table.sort(ranked, function(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[1] < b[1]
end)
local top = {}
for i = 1, 8 do top[#top + 1] = ranked[i][1] .. "=" .. ranked[i][2] end
print(total, distinct, table.concat(top, " "))
