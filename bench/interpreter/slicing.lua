-- Slices of a list of 200,000 readings with a slice function written as Lua users write it
-- (table.move, negative bounds from the end, clamped): chunks, moving windows, heads, tails.
local seed = 11
local readings = {}
for i = 0, 199999 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  readings[#readings + 1] = seed // 65536 % 1000
end
-- Items low..high-1, counted from 0, as a new table; negative bounds count from the end.
local function slice(list, low, high)
  local n = #list
  low = low or 0
  high = high or n
  if low < 0 then low = n + low end
  if high < 0 then high = n + high end
  low = math.max(0, math.min(low, n))
  high = math.max(low, math.min(high, n))
  return table.move(list, low + 1, high, 1, {})
end
local chunk_peaks = 0
for start = 0, 1999 do
  local chunk = slice(readings, start * 100, start * 100 + 100)
  local peak = chunk[1]
  for _, x in ipairs(chunk) do if x > peak then peak = x end end
  chunk_peaks = chunk_peaks + peak - chunk[1] + chunk[#chunk]
end
local alerts = 0
for i = 0, #readings - 9 do
  local total = 0
  for _, x in ipairs(slice(readings, i, i + 8)) do total = total + x end
  if total > 6000 then alerts = alerts + 1 end
end
local edges = 0
for i = 0, 19999 do
  local head = slice(readings, 0, i % 50)
  local tail = slice(readings, -(i % 50 + 1))
  local middle = slice(readings, -60, -10)
  local past_end = slice(readings, 199990 + i % 20, 200000 + i)
  edges = edges + #head + tail[1] + #middle + #past_end
end
print(chunk_peaks, alerts, edges)
