-- An inventory kept in a table: `or` for a default, nil checks, removal by assigning nil,
-- a copy and a merge with pairs, and counts kept by hand.
local inventory = {}
local count = 0
for i = 0, 199999 do
  local sku = "sku" .. (i * 7 % 20011)
  if inventory[sku] == nil then count = count + 1 end
  inventory[sku] = (inventory[sku] or 0) + i % 13
end
local removed = 0
local missing = 0
for i = 0, 20010 do
  local sku = "sku" .. (i * 3)
  if inventory[sku] == nil then
    missing = missing + 1
  elseif inventory[sku] % 2 == 0 then
    inventory[sku] = nil
    count = count - 1
    removed = removed + 1
  end
end
local restock = {}
for i = 0, 9999 do restock["sku" .. (i * 5)] = i % 50 end
local merged = {}
local merged_count = 0
for sku, n in pairs(inventory) do merged[sku] = n; merged_count = merged_count + 1 end
for sku, n in pairs(restock) do
  if merged[sku] == nil then merged_count = merged_count + 1 end
  merged[sku] = n
end
local total = 0
for _, n in pairs(merged) do total = total + n end
local long_names = 0
for sku in pairs(merged) do
  if #sku > 7 then long_names = long_names + 1 end
end
print(count, removed, missing, merged_count, total, long_names, merged["sku5"] or -1, inventory["sku3"] or -1)
