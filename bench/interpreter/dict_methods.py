# An inventory kept in a dict with its methods: get with a default, in, pop, copy, update,
# keys and values.
inventory = {}
for i in range(200000):
    sku = f"sku{i * 7 % 20011}"
    inventory[sku] = inventory.get(sku, 0) + i % 13
removed = 0
missing = 0
for i in range(20011):
    sku = f"sku{i * 3}"
    if sku not in inventory:
        missing += 1
    elif inventory[sku] % 2 == 0:
        inventory.pop(sku)
        removed += 1
restock = {}
for i in range(10000):
    restock[f"sku{i * 5}"] = i % 50
merged = inventory.copy()
merged.update(restock)
total = 0
for count in merged.values():
    total += count
long_names = 0
for sku in merged.keys():
    if len(sku) > 7:
        long_names += 1
print(len(inventory), removed, missing, len(merged), total, long_names, merged.get("sku5", -1), inventory.get("sku3", -1))
