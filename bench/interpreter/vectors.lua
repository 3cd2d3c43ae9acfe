-- Embeddings as arrays of floats: 2,000 of 64 dimensions, their centroid, and the nearest
-- neighbour by cosine similarity of 20 of them.
local seed = 5
local function next_random()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648.0 - 0.5
end
local embeddings = {}
for i = 1, 2000 do
  local values = {}
  for j = 1, 64 do values[j] = next_random() end
  embeddings[i] = values
end
local function dot(a, b)
  local total = 0.0
  for i = 1, #a do total = total + a[i] * b[i] end
  return total
end
local function norm(a) return math.sqrt(dot(a, a)) end
local function cosine(a, b) return dot(a, b) / (norm(a) * norm(b)) end
local centroid = {}
for j = 1, 64 do centroid[j] = 0.0 end
for _, e in ipairs(embeddings) do
  for j = 1, 64 do centroid[j] = centroid[j] + e[j] end
end
for j = 1, 64 do centroid[j] = centroid[j] / 2000.0 end
local nearest = {}
local similarity = 0.0
for q = 0, 19 do
  local query = embeddings[q * 100 + 1]
  local best, best_score = -1, -2.0
  for i, e in ipairs(embeddings) do
    if i ~= q * 100 + 1 then
      local score = cosine(query, e)
      if score > best_score then best, best_score = i - 1, score end
    end
  end
  nearest[#nearest + 1] = best
  similarity = similarity + best_score
end
print("[" .. table.concat(nearest, ", ") .. "]")
print(string.format("%.6f", similarity), string.format("%.6f", norm(centroid)), string.format("%.6f", dot(centroid, embeddings[1])))
