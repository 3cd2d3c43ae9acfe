parts = []
for i in range(200000):
    parts.append(f"item {i}: {i * 2}")
joined = ",".join(parts)
print(len(joined))
