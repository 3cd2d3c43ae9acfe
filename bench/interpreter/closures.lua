-- map, filter and reduce with closures over 300,000 items, three times.
local function map(xs, f)
  local out = {}
  for i = 1, #xs do out[i] = f(xs[i]) end
  return out
end
local function filter(xs, keep)
  local out = {}
  for i = 1, #xs do
    if keep(xs[i]) then out[#out + 1] = xs[i] end
  end
  return out
end
local function reduce(xs, initial, f)
  local acc = initial
  for i = 1, #xs do acc = f(acc, xs[i]) end
  return acc
end
local xs = {}
for i = 0, 299999 do xs[#xs + 1] = i end
local result = 0
for round = 0, 2 do
  local offset = round
  result = result + reduce(filter(map(xs, function(x) return x * 3 + offset end), function(x) return x % 2 == 0 end), 0, function(acc, x) return acc + x end)
end
print(result)
