# A log of recent users and a top-five board kept with list methods: append, pop,
# in, index, insert, copy, extend, reversed, join, sum, min and max.
names = ["ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jon"]
seed = 3
def next_random(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed // 65536 % n
recent = []
snapshots = []
hits = 0
positions = 0
top = []
for i in range(150000):
    name = names[next_random(10)]
    if name in recent:
        hits += 1
    else:
        recent.append(name)
    if len(recent) > 6:
        recent.pop(0)
    positions += recent.index(name) if name in recent else -1
    score = next_random(30011)
    at = 0
    while at < len(top) and top[at] >= score:
        at += 1
    if at < 5:
        top.insert(at, score)
        if len(top) > 5:
            top.pop()
    if i % 100 == 0:
        snapshots.append(recent.copy())
flat = []
for snapshot in snapshots:
    flat.extend(snapshot)
newest_first = list(reversed(flat))
lengths = [len(name) for name in flat]
print(hits, positions, "[" + ", ".join(str(s) for s in top) + "]", len(flat), newest_first[0], len(",".join(newest_first)))
print(sum(lengths), min(lengths), max(lengths))
