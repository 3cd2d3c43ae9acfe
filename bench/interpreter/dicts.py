counts = {}
for i in range(500000):
    key = f"key{i * 7919 % 100003}"
    counts[key] = counts.get(key, 0) + 1
keys = sorted(counts.keys())
print(len(keys), keys[0], counts[keys[0]], keys[-1])
