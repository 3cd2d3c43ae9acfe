local counts = {}
for i = 0, 499999 do
  local key = "key" .. (i * 7919 % 100003)
  counts[key] = (counts[key] or 0) + 1
end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], counts[keys[1]], keys[#keys])
