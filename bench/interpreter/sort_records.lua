-- Sorting 60,000 records of model answers by a key, a key reversed, a comparator and a
-- key of two parts, and a list of floats. table.sort is not stable: ties go by id.
local seed = 42
local function next_random(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n
end
local models = {"gpt-4o-mini", "gemma-3-270m", "llama-3-8b", "mistral-7b", "qwen-2.5-7b"}
local answers = {}
for i = 0, 59999 do
  local model = models[next_random(5) + 1]
  local tokens = next_random(500)
  answers[#answers + 1] = {id = i, model = model, tokens = tokens, score = next_random(100)}
end
local function checksum(records)
  local h = 0
  for i = 0, 99 do h = (h * 31 + records[i * 600 + 1].id) % 1000000007 end
  return h
end
local function sorted(records, less)
  local copy = table.move(records, 1, #records, 1, {})
  table.sort(copy, less)
  return copy
end
local by_tokens = sorted(answers, function(a, b)
  if a.tokens ~= b.tokens then return a.tokens < b.tokens end
  return a.id < b.id
end)
local by_model = sorted(answers, function(a, b)
  if a.model ~= b.model then return a.model < b.model end
  return a.id < b.id
end)
local by_score = sorted(answers, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)
local by_model_then_tokens = sorted(answers, function(a, b)
  if a.model ~= b.model then return a.model < b.model end
  if a.tokens ~= b.tokens then return a.tokens > b.tokens end
  return a.id < b.id
end)
local by_score_then_model = sorted(answers, function(a, b)
  if a.score ~= b.score then return a.score < b.score end
  if a.model ~= b.model then return a.model < b.model end
  return a.id < b.id
end)
local latencies = {}
for i, a in ipairs(answers) do latencies[i] = a.tokens * 0.013 + a.score * 0.001 end
table.sort(latencies)
print(checksum(by_tokens), checksum(by_model), checksum(by_score), checksum(by_model_then_tokens), checksum(by_score_then_model))
print(math.floor(latencies[1] * 1000), math.floor(latencies[30001] * 1000), math.floor(latencies[60000] * 1000))
