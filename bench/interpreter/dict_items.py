# Walking a dict of 100,000 stock counts through items(), keys() and values(), ten times.
stock = {}
for i in range(100000):
    stock[f"sku-{i * 7919 % 100000}"] = i % 97
low = 0
total = 0
longest = 0
histogram = {}
for round_ in range(10):
    for name, count in stock.items():
        if count < 5:
            low += 1
        histogram[count % 10] = histogram.get(count % 10, 0) + 1
    for count in stock.values():
        total += count
    for name in stock.keys():
        if len(name) > longest:
            longest = len(name)
print(low, total, longest, histogram[3], len(stock))
