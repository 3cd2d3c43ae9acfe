-- Closures and higher-order functions: adders, composition, counters that keep state, and
-- pipelines of map, filter and reduce written as small Lua functions.
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
local function make_adder(n) return function(x) return x + n end end
local function compose(f, g) return function(x) return g(f(x)) end end
local function twice(f) return compose(f, f) end
local function make_counter()
  local count = 0
  return function(step)
    count = count + step
    return count
  end
end
local add3 = make_adder(3)
local square = function(x) return x * x end
local pipeline = compose(twice(add3), square)
local total = 0
for i = 0, 99999 do total = total + pipeline(i) % 1000 end
local counters = {make_counter(), make_counter(), make_counter()}
for i = 0, 59999 do counters[i % 3 + 1](i % 7) end
local function is_even(x) return x % 2 == 0 end
local numbers = {}
for i = 0, 49999 do numbers[#numbers + 1] = i end
local sums = {}
for round = 0, 3 do
  local scale = make_adder(round)
  local kept = map(filter(map(numbers, scale), is_even), square)
  sums[#sums + 1] = reduce(kept, 0, function(acc, x) return (acc + x) % 1000000007 end)
end
local longest = reduce(map({"ant", "bee", "caterpillar", "dragonfly"}, function(w) return #w end), 0, math.max)
print(total, counters[1](0), counters[2](0), counters[3](0), "[" .. table.concat(sums, ", ") .. "]", longest)
