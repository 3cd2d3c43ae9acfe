local shared = dofile((arg[0]:match("^(.*/)") or "") .. "_answers.lua")
local lines = shared.answer_lines()
local text = table.concat(lines, "\n")
local counts = {}
local distinct = 0
for word in string.gmatch(string.lower(text), "%S+") do
  if counts[word] == nil then distinct = distinct + 1 end
  counts[word] = (counts[word] or 0) + 1
end
local top = {}
for word in pairs(counts) do top[#top + 1] = word end
table.sort(top, function(a, b) return counts[a] > counts[b] or (counts[a] == counts[b] and a < b) end)
print(distinct, top[1], counts[top[1]], top[2], counts[top[2]], top[3], counts[top[3]], top[#top])
