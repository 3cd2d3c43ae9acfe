# 3,000 records shaped like chat completion answers, each encoded as JSON and decoded back,
# then all of them at once, indented; the texts hold quotes, line breaks and accents.
import json
words = ["the", "answer", "is", "café", "✨", "seed", "model", "reproducible", "\"quoted\"", "line\nbreak", "naïve", "42"]
records = []
for i in range(3000):
    content = []
    for j in range(16):
        content.append(words[(i + j * 7) % 12])
    records.append({
        "id": f"chatcmpl-{i}",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "system_fingerprint": f"fp_{i % 7}",
        "choices": [{"index": 0, "finish_reason": "length" if i % 5 == 0 else "stop", "message": {"role": "assistant", "content": " ".join(content)}}],
        "usage": {"prompt_tokens": 20 + i % 30, "completion_tokens": 16, "total_tokens": 36 + i % 30},
        "temperature": 0.25 + (i % 4) * 0.5,
        "cached": i % 3 == 0,
    })
length = 0
tokens = 0
stopped = 0
for record in records:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    length += len(text)
    back = json.loads(text)
    tokens += back["usage"]["total_tokens"]
    if back["choices"][0]["finish_reason"] == "stop":
        stopped += 1
document = json.dumps(records, ensure_ascii=False, indent=2)
decoded = json.loads(document)
warm = 0.0
for record in decoded:
    warm += record["temperature"]
print(length, tokens, stopped, len(document), len(decoded), warm)
print(decoded[2999]["choices"][0]["message"]["content"])
