-- Cosine distances of 2,000 vectors of 256 floats to the first, as plain loops.
local seed = 42
local function next_random()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648.0
end
local vectors = {}
for i = 1, 2000 do
  local v = {}
  for j = 1, 256 do v[j] = next_random() - 0.5 end
  vectors[i] = v
end
local function distance(a, b)
  local dot, na, nb = 0.0, 0.0, 0.0
  for k = 1, 256 do
    dot = dot + a[k] * b[k]
    na = na + a[k] * a[k]
    nb = nb + b[k] * b[k]
  end
  return 1.0 - dot / (math.sqrt(na) * math.sqrt(nb))
end
local total = 0.0
for i = 1, 2000 do total = total + distance(vectors[1], vectors[i]) end
print(string.format("%.6f", total))
