# Sorting 60,000 records of model answers by a key, a key reversed, a comparator and a
# key of two parts, and a list of floats; every sort is stable.
seed = 42
def next_random(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed // 65536 % n
models = ["gpt-4o-mini", "gemma-3-270m", "llama-3-8b", "mistral-7b", "qwen-2.5-7b"]
answers = []
for i in range(60000):
    answers.append({"id": i, "model": models[next_random(5)], "tokens": next_random(500), "score": next_random(100)})
def checksum(records):
    h = 0
    for i in range(100):
        h = (h * 31 + records[i * 600]["id"]) % 1000000007
    return h
by_tokens = sorted(answers, key=lambda a: a["tokens"])
by_model = sorted(answers, key=lambda a: a["model"])
by_score = sorted(answers, key=lambda a: a["score"], reverse=True)
by_model_then_tokens = sorted(answers, key=lambda a: (a["model"], -a["tokens"]))
by_score_then_model = sorted(answers, key=lambda a: (a["score"], a["model"]))
latencies = sorted(a["tokens"] * 0.013 + a["score"] * 0.001 for a in answers)
print(checksum(by_tokens), checksum(by_model), checksum(by_score), checksum(by_model_then_tokens), checksum(by_score_then_model))
print(int(latencies[0] * 1000), int(latencies[30000] * 1000), int(latencies[59999] * 1000))
