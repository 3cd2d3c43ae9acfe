# Embeddings as lists of floats: 2,000 of 64 dimensions, their centroid, and the nearest
# neighbour by cosine similarity of 20 of them.
import math
seed = 5
def next_random():
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648.0 - 0.5
embeddings = []
for i in range(2000):
    embeddings.append([next_random() for j in range(64)])
def dot(a, b):
    return sum(x * y for x, y in zip(a, b))
def norm(a):
    return math.sqrt(sum(x * x for x in a))
def cosine(a, b):
    return dot(a, b) / (norm(a) * norm(b))
centroid = [0.0] * 64
for e in embeddings:
    centroid = [c + x for c, x in zip(centroid, e)]
centroid = [c / 2000.0 for c in centroid]
nearest = []
similarity = 0.0
for q in range(20):
    query = embeddings[q * 100]
    best = -1
    best_score = -2.0
    for i, e in enumerate(embeddings):
        if i == q * 100:
            continue
        score = cosine(query, e)
        if score > best_score:
            best_score = score
            best = i
    nearest.append(best)
    similarity += best_score
print("[" + ", ".join(str(i) for i in nearest) + "]")
print(f"{similarity:.6f}", f"{norm(centroid):.6f}", f"{dot(centroid, embeddings[0]):.6f}")
