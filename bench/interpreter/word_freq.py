# Word frequencies in 30,000 generated sentences: split into lines and words, lower-case,
# strip punctuation, count in a dict, and rank by count, then alphabetically.
vocabulary = ["The", "model", "answer", "is", "correct", "Seed", "notebook", "cache", "reproducible", "prompt", "token", "result", "output", "café", "naïve", "temperature", "fingerprint", "request", "response", "value", "a", "of"]
seed = 7
def next_random(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed // 65536 % n
sentences = []
for i in range(30000):
    words = []
    for j in range(5 + next_random(8)):
        words.append(vocabulary[next_random(22)])
    sentences.append(" ".join(words) + ("!" if i % 3 == 0 else ", really."))
text = "\n".join(sentences)
counts = {}
total = 0
for line in text.splitlines():
    for word in line.lower().split():
        bare = word.replace(",", "").replace(".", "").replace("!", "")
        counts[bare] = counts.get(bare, 0) + 1
        total += 1
ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
top = []
for word, count in ranked[:8]:
    top.append(f"{word}={count}")
print(total, len(counts), " ".join(top))
