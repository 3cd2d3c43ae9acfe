local parts = {}
for i = 0, 199999 do
  parts[#parts + 1] = string.format("item %d: %d", i, i * 2)
end
local joined = table.concat(parts, ",")
print(#joined)
