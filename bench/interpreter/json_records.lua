-- 3,000 records shaped like chat completion answers, each encoded as JSON and decoded back,
-- then all of them at once, indented. Lua has no JSON library: a small encoder and decoder
-- in the manner of rxi/json.lua come first. Object keys come out in pairs() order, so the
-- texts' lengths, not their bytes, are compared with the other programs.
local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
local function escape_char(c) return escapes[c] or string.format("\\u%04x", c:byte()) end

local encode
local function encode_value(value, indent, level, out)
  local kind = type(value)
  if kind == "string" then
    out[#out + 1] = '"' .. value:gsub('[%c"\\]', escape_char) .. '"'
  elseif kind == "number" then
    out[#out + 1] = math.type(value) == "integer" and string.format("%d", value) or tostring(value)
  elseif kind == "boolean" then
    out[#out + 1] = tostring(value)
  elseif value == nil then
    out[#out + 1] = "null"
  else
    local inner = indent and ("\n" .. string.rep(" ", indent * (level + 1))) or ""
    local outer = indent and ("\n" .. string.rep(" ", indent * level)) or ""
    local colon = indent and ": " or ":"
    if rawget(value, 1) ~= nil then
      out[#out + 1] = "["
      for i, item in ipairs(value) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = inner
        encode_value(item, indent, level + 1, out)
      end
      out[#out + 1] = outer .. "]"
    else
      out[#out + 1] = "{"
      local first = true
      for key, item in pairs(value) do
        if not first then out[#out + 1] = "," end
        first = false
        out[#out + 1] = inner .. '"' .. key:gsub('[%c"\\]', escape_char) .. '"' .. colon
        encode_value(item, indent, level + 1, out)
      end
      out[#out + 1] = outer .. "}"
    end
  end
end
function encode(value, indent)
  local out = {}
  encode_value(value, indent, 0, out)
  return table.concat(out)
end

local unescapes = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}
local decode_value
local function skip(text, at) return text:find("[^ \t\r\n]", at) or #text + 1 end
local function decode_string(text, at)
  local parts = {}
  local from = at + 1
  while true do
    local stop = text:find('["\\]', from)
    if not stop then error("unterminated string at " .. at) end
    parts[#parts + 1] = text:sub(from, stop - 1)
    if text:sub(stop, stop) == '"' then return table.concat(parts), stop + 1 end
    local escaped = text:sub(stop + 1, stop + 1)
    if escaped == "u" then
      parts[#parts + 1] = utf8.char(tonumber(text:sub(stop + 2, stop + 5), 16))
      from = stop + 6
    else
      parts[#parts + 1] = unescapes[escaped] or error("invalid escape at " .. stop)
      from = stop + 2
    end
  end
end
function decode_value(text, at)
  at = skip(text, at)
  local c = text:sub(at, at)
  if c == "{" then
    local object = {}
    at = skip(text, at + 1)
    if text:sub(at, at) == "}" then return object, at + 1 end
    while true do
      local key
      key, at = decode_string(text, skip(text, at))
      at = skip(text, at)
      if text:sub(at, at) ~= ":" then error("expected ':' at " .. at) end
      object[key], at = decode_value(text, at + 1)
      at = skip(text, at)
      local sep = text:sub(at, at)
      if sep == "}" then return object, at + 1 end
      if sep ~= "," then error("expected ',' or '}' at " .. at) end
      at = at + 1
    end
  elseif c == "[" then
    local array = {}
    at = skip(text, at + 1)
    if text:sub(at, at) == "]" then return array, at + 1 end
    while true do
      array[#array + 1], at = decode_value(text, at)
      at = skip(text, at)
      local sep = text:sub(at, at)
      if sep == "]" then return array, at + 1 end
      if sep ~= "," then error("expected ',' or ']' at " .. at) end
      at = at + 1
    end
  elseif c == '"' then
    return decode_string(text, at)
  elseif text:sub(at, at + 3) == "true" then
    return true, at + 4
  elseif text:sub(at, at + 4) == "false" then
    return false, at + 5
  elseif text:sub(at, at + 3) == "null" then
    return nil, at + 4
  else
    local number = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", at)
    if not number then error("expected a value at " .. at) end
    return math.tointeger(tonumber(number)) or tonumber(number), at + #number
  end
end
local function decode(text) return (decode_value(text, 1)) end

local words = {"the", "answer", "is", "café", "✨", "seed", "model", "reproducible", "\"quoted\"", "line\nbreak", "naïve", "42"}
local records = {}
for i = 0, 2999 do
  local content = {}
  for j = 0, 15 do content[#content + 1] = words[(i + j * 7) % 12 + 1] end
  records[#records + 1] = {
    id = "chatcmpl-" .. i,
    object = "chat.completion",
    model = "gpt-4o-mini",
    system_fingerprint = "fp_" .. (i % 7),
    choices = {{index = 0, finish_reason = i % 5 == 0 and "length" or "stop", message = {role = "assistant", content = table.concat(content, " ")}}},
    usage = {prompt_tokens = 20 + i % 30, completion_tokens = 16, total_tokens = 36 + i % 30},
    temperature = 0.25 + (i % 4) * 0.5,
    cached = i % 3 == 0,
  }
end
local length = 0
local tokens = 0
local stopped = 0
for _, record in ipairs(records) do
  local text = encode(record)
  length = length + utf8.len(text)
  local back = decode(text)
  tokens = tokens + back.usage.total_tokens
  if back.choices[1].finish_reason == "stop" then stopped = stopped + 1 end
end
local document = encode(records, 2)
local decoded = decode(document)
local warm = 0.0
for _, record in ipairs(decoded) do warm = warm + record.temperature end
print(length, tokens, stopped, utf8.len(document), #decoded, string.format("%.1f", warm))
print(decoded[3000].choices[1].message.content)
