# Cosine distances of 2,000 vectors of 256 floats to the first, as plain loops.
import math
seed = 42
def next_random():
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648.0
vectors = []
for i in range(2000):
    v = []
    for j in range(256):
        v.append(next_random() - 0.5)
    vectors.append(v)
def distance(a, b):
    dot = 0.0
    na = 0.0
    nb = 0.0
    for k in range(256):
        dot += a[k] * b[k]
        na += a[k] * a[k]
        nb += b[k] * b[k]
    return 1.0 - dot / (math.sqrt(na) * math.sqrt(nb))
total = 0.0
for v in vectors:
    total += distance(vectors[0], v)
print(f"{total:.6f}")
