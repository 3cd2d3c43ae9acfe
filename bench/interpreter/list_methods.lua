-- A log of recent users and a top-five board kept with table.insert, table.remove and
-- loops for membership, search, copies, reversal and join.
local names = {"ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jon"}
local seed = 3
local function next_random(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n
end
local function index_of(list, item)
  for i = 1, #list do
    if list[i] == item then return i end
  end
  return nil
end
local recent = {}
local snapshots = {}
local hits = 0
local positions = 0
local top = {}
for i = 0, 149999 do
  local name = names[next_random(10) + 1]
  if index_of(recent, name) then
    hits = hits + 1
  else
    recent[#recent + 1] = name
  end
  if #recent > 6 then table.remove(recent, 1) end
  local at = index_of(recent, name)
  positions = positions + (at and at - 1 or -1)
  local score = next_random(30011)
  local place = 1
  while place <= #top and top[place] >= score do place = place + 1 end
  if place <= 5 then
    table.insert(top, place, score)
    if #top > 5 then table.remove(top) end
  end
  if i % 100 == 0 then snapshots[#snapshots + 1] = table.move(recent, 1, #recent, 1, {}) end
end
local flat = {}
for _, snapshot in ipairs(snapshots) do
  table.move(snapshot, 1, #snapshot, #flat + 1, flat)
end
local newest_first = {}
for i = #flat, 1, -1 do newest_first[#newest_first + 1] = flat[i] end
local total, shortest, longest = 0, math.huge, 0
for _, name in ipairs(flat) do
  total = total + #name
  shortest = math.min(shortest, #name)
  longest = math.max(longest, #name)
end
print(hits, positions, "[" .. table.concat(top, ", ") .. "]", #flat, newest_first[1], #table.concat(newest_first, ","))
print(total, shortest, longest)
