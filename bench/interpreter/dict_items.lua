-- Walking a table of 100,000 stock counts with pairs(), for its items, values and keys, ten times.
local stock = {}
local size = 0
for i = 0, 99999 do
  local key = "sku-" .. (i * 7919 % 100000)
  if stock[key] == nil then size = size + 1 end
  stock[key] = i % 97
end
local low = 0
local total = 0
local longest = 0
local histogram = {}
for round = 0, 9 do
  for name, count in pairs(stock) do
    if count < 5 then low = low + 1 end
    histogram[count % 10] = (histogram[count % 10] or 0) + 1
  end
  for _, count in pairs(stock) do total = total + count end
  for name in pairs(stock) do
    if #name > longest then longest = #name end
  end
end
print(low, total, longest, histogram[3], size)
